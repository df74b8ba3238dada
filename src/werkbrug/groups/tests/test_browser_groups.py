"""Group modules in Chromium (issue 18), on a phone (390 x 844): the coach enrols a client by typing
part of the name, records attendance for a session, and the pages do not scroll sideways."""

from __future__ import annotations

import pytest

from werkbrug.groups import actions
from werkbrug.groups.models import Attendance, Enrolment, EnrolmentStatus
from werkbrug.groups.tests.helpers import plan_run
from werkbrug.testing import actor_for, click_through, open_closed_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_coach_enrols_a_client_and_records_attendance_on_a_phone(tnet, browse):
    run = plan_run(tnet, place="Lokaal De Brug, Kanaalstraat 8, Antwerpen")
    trajectory = tnet.trajectory(tnet.new_client(first_name="Lotte", last_name="Verbruggen"))
    session = actions.add_session(actor_for(tnet.coach), run, on=run.starts_on, topic="Kennismaking")
    page = browse(tnet.coach, viewport=PHONE)
    page.goto(f"/groups/{run.pk}/")
    no_sideways_scroll(page)
    enrol = page.locator("#enrol details.lazy-form")
    open_closed_form(page, enrol)
    form = enrol.locator("form")
    form.locator("input[name=trajectory__q]").fill("Verbru")
    form.locator("[data-chooser-pick]", has_text="Verbruggen").first.click()
    assert form.locator("input[name=trajectory]").input_value() == str(trajectory.pk)
    click_through(page, form.locator("button[type=submit]"))
    enrolment = Enrolment.objects.get()
    assert (enrolment.trajectory, enrolment.status) == (trajectory, EnrolmentStatus.ENROLLED)
    assert page.locator("[data-seats]").inner_text().startswith("1 / 13")

    page.goto(f"/groups/{run.pk}/sessions/{session.pk}/attendance/")
    no_sideways_scroll(page)
    page.locator(f"select[name=p{enrolment.pk}]").select_option("present")
    click_through(page, "main form[method=post] button[type=submit]")
    assert Attendance.objects.get().presence == "present"
    assert page.url.endswith(f"/groups/{run.pk}/participants/")
    no_sideways_scroll(page)
    assert page.locator(f"[data-enrolment='{enrolment.pk}'] [data-present]").inner_text() == "1"
