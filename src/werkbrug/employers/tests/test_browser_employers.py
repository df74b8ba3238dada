"""The coach's employer work in Chromium (issue 15): register an employer, add an opening, log a
face-to-face contact naming a consented IPS client (chosen by typing), introduce that client to the
opening; the trajectory page then shows the contact and the introduction."""

from __future__ import annotations

import pytest

from werkbrug.employers.models import Employer, EmployerContact, Introduction, Opening
from werkbrug.employers.tests.helpers import employer_consent, ips_trajectory, kbo
from werkbrug.testing import click_through, open_closed_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pick_client(form, trajectory) -> None:
    form.locator("input[name=trajectory__q]").fill(trajectory.client.last_name)
    form.locator("[data-chooser-pick]", has_text=str(trajectory.client)).first.click()
    assert form.locator("input[name=trajectory]").input_value() == str(trajectory.pk)


def test_a_coach_registers_an_employer_logs_a_contact_and_introduces_a_consented_client(net, browse):
    trajectory = ips_trajectory(net, net.new_client(first_name="Lotte", last_name="Verbruggen"))
    employer_consent(net, trajectory.client)
    number = kbo(10300512)
    page = browse(net.coach)
    page.goto("/employers/")
    click_through(page, "a[href='/employers/new/']")
    page.locator("input[name=name]").fill("Bakkerij Janssens")
    page.locator("input[name=enterprise_number]").fill(f"{number[:4]}.{number[4:7]}.{number[7:]}")
    page.locator("select[name=sector]").select_option("I")
    page.locator("input[name=municipality]").fill("Lier")
    click_through(page, "main form[method=post] button[type=submit]")
    employer = Employer.objects.get()
    assert page.url.endswith(f"/employers/{employer.pk}/")
    assert employer.enterprise_number == number

    openings = page.locator("#openings > details.lazy-form")
    open_closed_form(page, openings)
    form = openings.locator("form")
    form.locator("input[name=title]").fill("Hulp in de bakkerij")
    form.locator("select[name=job_type]").select_option("9")
    form.locator("input[name=hours_per_week]").fill("19")
    click_through(page, form.locator("button[type=submit]"))
    opening = Opening.objects.get()

    contacts = page.locator("#job-development details.lazy-form")
    open_closed_form(page, contacts)
    form = contacts.locator("form")
    assert form.locator("input[name=mode][value=face_to_face]").is_checked()
    form.locator("select[name=purpose]").select_option("vacancy")
    pick_client(form, trajectory)
    form.locator("input[name=note]").fill("Vacature besproken met de zaakvoerder")
    click_through(page, form.locator("button[type=submit]"))
    logged = EmployerContact.objects.get()
    assert (logged.mode, logged.place, logged.trajectory, logged.coach) == (
        "face_to_face",
        "community",
        trajectory,
        net.coach,
    )
    assert "Lotte Verbruggen" in page.locator("#job-development").inner_text()

    introduce = page.locator(f"[data-opening='{opening.pk}'] details.lazy-form").first
    open_closed_form(page, introduce)
    form = introduce.locator("form")
    pick_client(form, trajectory)
    click_through(page, form.locator("button[type=submit]"))
    introduction = Introduction.objects.get()
    assert (introduction.opening, introduction.trajectory, introduction.outcome) == (
        opening,
        trajectory,
        "introduced",
    )
    assert "Lotte Verbruggen" in page.locator(f"[data-opening='{opening.pk}']").inner_text()

    page.goto(f"/trajectories/{trajectory.pk}/")
    panel = page.locator("#job-development")
    assert "Bakkerij Janssens" in panel.inner_text() and "Hulp in de bakkerij" in panel.inner_text()
