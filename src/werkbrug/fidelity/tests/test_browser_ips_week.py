"""Issue 15's whole flow in Chromium, as a coach and a coordinator live it: the coach registers an
employer, adds an opening, logs a face-to-face contact naming a consented IPS client, introduces the
client, records the job start; the follow-along dates appear on the caseload; the coordinator opens
a fidelity review and finds the computed items filled in from what the coach just did."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from werkbrug.employers.models import Employer, EmployerContact, Introduction, Opening
from werkbrug.employers.tests.helpers import employer_consent, ips_trajectory, kbo
from werkbrug.fidelity.models import Review
from werkbrug.ips.models import Placement
from werkbrug.testing import click_through, open_closed_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pick(form, field: str, text: str) -> None:
    """Type part of a name into a chooser and click the row that shows it."""
    form.locator(f"input[name={field}__q]").fill(text)
    form.locator("[data-chooser-pick]", has_text=text).first.click()


def test_a_coach_s_ips_week_feeds_the_fidelity_review(net, browse):
    today = timezone.localdate()
    trajectory = ips_trajectory(net, net.new_client(first_name="Jasper", last_name="Meulemans"))
    employer_consent(net, trajectory.client)
    page = browse(net.coach)

    # The employer, with its enterprise number checked.
    page.goto("/employers/new/")
    page.locator("input[name=name]").fill("Drukkerij Van Aken")
    number = kbo(10450012)
    page.locator("input[name=enterprise_number]").fill(number)
    page.locator("select[name=sector]").select_option("C")
    page.locator("input[name=municipality]").fill("Mechelen")
    click_through(page, "main form[method=post] button[type=submit]")
    employer = Employer.objects.get()

    # An opening, and a face-to-face contact in the community about the consented client.
    openings = page.locator("#openings > details.lazy-form")
    open_closed_form(page, openings)
    form = openings.locator("form")
    form.locator("input[name=title]").fill("Inpakker")
    form.locator("select[name=job_type]").select_option("9")
    click_through(page, form.locator("button[type=submit]"))
    opening = Opening.objects.get()
    contacts = page.locator("#job-development details.lazy-form")
    open_closed_form(page, contacts)
    form = contacts.locator("form")
    form.locator("select[name=purpose]").select_option("vacancy")
    pick(form, "trajectory", "Meulemans")
    click_through(page, form.locator("button[type=submit]"))
    contact = EmployerContact.objects.get()
    assert (contact.mode, contact.place, contact.trajectory, contact.on) == (
        "face_to_face",
        "community",
        trajectory,
        today,
    )

    # The client introduced to the opening.
    introduce = page.locator(f"[data-opening='{opening.pk}'] details.lazy-form").first
    open_closed_form(page, introduce)
    form = introduce.locator("form")
    pick(form, "trajectory", "Meulemans")
    click_through(page, form.locator("button[type=submit]"))
    assert Introduction.objects.get().trajectory == trajectory

    # The job starts today, at that employer.
    page.goto(f"/ips/trajectories/{trajectory.pk}/")
    jobs = page.locator("#jobs details.lazy-form")
    open_closed_form(page, jobs)
    form = jobs.locator("form")
    pick(form, "employer", "Drukkerij Van Aken")
    form.locator("input[name=job_title]").fill("Inpakker")
    form.locator("select[name=job_type]").select_option("9")
    form.locator("input[name=started_on]").fill(today.isoformat())
    form.locator("input[name=hours_per_week]").fill("20")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/ips/trajectories/{trajectory.pk}/#jobs")
    placement = Placement.objects.get()
    assert (placement.employer, placement.started_on, placement.competitive) == (employer, today, True)

    # The caseload: no client contact yet, so the week before the start is overdue and the three
    # days after it are open, with their dates.
    page.goto("/trajectories/caseload/")
    rows = page.locator(f"#follow-along [data-due-placement='{placement.pk}']")
    assert [rows.nth(i).get_attribute("data-due-status") for i in range(rows.count())] == ["overdue", "open"]
    assert (today + datetime.timedelta(days=3)).strftime("%d/%m/%Y") in page.locator(
        "#follow-along"
    ).inner_text()

    # The coordinator's review of this year: the contact came 0 days after the IPS start (a 5), the
    # one job is competitive (100 %: a 5), one client for one coach (a 5).
    page = browse(net.coordinator)
    page.goto("/fidelity/new/")
    page.select_option("select[name=scale]", "ips25")
    page.fill("input[name=period_from]", datetime.date(today.year, 1, 1).isoformat())
    page.fill("input[name=period_to]", today.isoformat())
    click_through(page, "main form button[type=submit]")
    review = Review.objects.get()
    assert page.url.endswith(f"/fidelity/{review.pk}/")
    rapid = page.locator("tr[data-item=rapid_search_work]")
    assert rapid.locator("[data-figure=first_employer_contact_days] [data-value]").inner_text() == "0,0"
    for item in ("rapid_search_work", "competitive_jobs", "caseload"):
        assert page.locator(f"tr[data-item={item}] td[data-cell=total] [data-score]").inner_text() == "5", (
            item
        )
