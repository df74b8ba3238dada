"""In Chromium: the coach opens the job-start form on the ips page, finds the employer by typing part
of its name, records the start, and the follow-along appears on the caseload."""

from __future__ import annotations

import pytest

from werkbrug.ips.models import Placement
from werkbrug.ips.tests.conftest import make_employer, typed_trajectory
from werkbrug.testing import days_ago, open_closed_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coach_records_a_job_start_and_sees_the_follow_along_on_the_caseload(net, browse):
    for i in range(25):
        make_employer(net, f"Groendienst {i:02d}")
    wanted = make_employer(net, "Tuincentrum De Linde")
    trajectory = typed_trajectory(net, first_name="Ines")
    page = browse(net.coach)
    page.goto(f"/ips/trajectories/{trajectory.pk}/")
    jobs = page.locator("#jobs details.lazy-form")
    open_closed_form(page, jobs)
    form = jobs.locator("form")
    form.locator("input[name=employer__q]").fill("linde")
    form.locator("[data-chooser-pick]").first.wait_for()
    form.locator("[data-chooser-pick]", has_text="Tuincentrum De Linde").click()
    form.locator("input[name=job_title]").fill("Medewerker plantenafdeling")
    form.locator("select[name=job_type]").select_option("5")
    form.locator("input[name=started_on]").fill(days_ago(1).isoformat())
    form.locator("input[name=hours_per_week]").fill("19")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/ips/trajectories/{trajectory.pk}/#jobs")
    placement = Placement.objects.get()
    assert (placement.employer, placement.started_on) == (wanted, days_ago(1))
    assert placement.outcome.trajectory_id == trajectory.pk
    page.goto("/trajectories/caseload/")
    # Started yesterday without any contact: the week before is overdue, the slot from the start to
    # 3 days after is open.
    rows = page.locator(f"#follow-along [data-due-placement='{placement.pk}']")
    assert [rows.nth(i).get_attribute("data-due-status") for i in range(rows.count())] == ["overdue", "open"]
