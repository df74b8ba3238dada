"""The one rule for dates (core.forms): every date a page takes lies from 1900 up to and including
2100. Outside, the page answers with the form's message, never a 500, and writes nothing."""

from __future__ import annotations

import datetime
import importlib
import pkgutil
from typing import Any

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone, translation

import werkbrug
from werkbrug.clients.models import Consent
from werkbrug.core import forms as core_forms
from werkbrug.core.models import AuditEvent
from werkbrug.referrals.models import ReferralEvent, ReferralStatus
from werkbrug.teams.forms import MeetingForm
from werkbrug.trajectories.models import Contact, Trajectory, TrajectoryEvent, TrajectoryStatus

MESSAGE = "Enter a date from 1900 up to and including 2100."
OUTSIDE = ["0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"]


def writes() -> tuple[int, ...]:
    """Everything the pages below could write."""
    return (
        AuditEvent.objects.exclude(action="view").count(),
        Contact.objects.count(),
        TrajectoryEvent.objects.count(),
        Consent.objects.count(),
        ReferralEvent.objects.count(),
    )


def refused(response: Any) -> str:
    """The page again with the form's message: 200, or 400 where the area answers a refusal so."""
    assert response.status_code in (200, 400), response.status_code
    page = response.content.decode()
    assert MESSAGE in page
    return page


# --- pages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("on", OUTSIDE)
def test_closing_a_trajectory_outside_the_years_gives_the_form_message_and_closes_nothing(net, login, on):
    trajectory = net.trajectory()
    before = writes()
    response = login(net.coach).post(
        reverse("trajectories:close", args=[trajectory.pk]), {"reason": "client_choice", "note": "", "on": on}
    )
    refused(response)
    assert writes() == before
    trajectory.refresh_from_db()
    assert trajectory.status == TrajectoryStatus.ACTIVE and trajectory.closed_on is None


def test_closing_on_1900_passes_the_bounds_and_meets_the_domain_rule(net, login):
    trajectory = net.trajectory()
    response = login(net.coach).post(
        reverse("trajectories:close", args=[trajectory.pk]),
        {"reason": "client_choice", "note": "", "on": "1900-01-01"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert MESSAGE not in page
    assert "A trajectory cannot close before it started." in page
    assert Trajectory.objects.get(pk=trajectory.pk).status == TrajectoryStatus.ACTIVE


@pytest.mark.parametrize("on", OUTSIDE)
def test_a_contact_outside_the_years_gives_the_form_message_and_is_not_recorded(net, login, on):
    trajectory = net.trajectory()
    before = writes()
    response = login(net.coach).post(
        reverse("trajectories:contact_create", args=[trajectory.pk]), {"on": on, "kind": "phone", "note": "x"}
    )
    refused(response)
    assert writes() == before


def test_a_contact_on_the_first_day_of_1900_is_recorded(net, login):
    trajectory = net.trajectory()
    response = login(net.coach).post(
        reverse("trajectories:contact_create", args=[trajectory.pk]),
        {"on": "1900-01-01", "kind": "phone", "note": "x"},
    )
    assert response.status_code == 302
    assert Contact.objects.get(trajectory=trajectory).on == datetime.date(1900, 1, 1)


def test_a_quick_contact_in_year_0001_gives_the_message_and_is_not_recorded(net, login):
    trajectory = net.trajectory()
    before = writes()
    response = login(net.coach).post(
        reverse("trajectories:quick_contact", args=[trajectory.pk]), {"text": "12/11/0001 tel 15 belde"}
    )
    refused(response)
    assert writes() == before


def consent_data(net: Any, **dates: str) -> dict[str, Any]:
    return {
        "purpose": "profile",
        "recipient": net.sara.pk,
        "categories": ["skills"],
        "given_on": timezone.localdate().isoformat(),
        "evidence": "verbal",
        **dates,
    }


@pytest.mark.parametrize(
    "dates",
    [{"given_on": "0001-01-01"}, {"given_on": "1899-12-31"}, {"valid_until": "2101-01-01"}],
)
def test_a_consent_outside_the_years_gives_the_form_message_and_is_not_recorded(net, login, dates):
    client = net.new_client()
    before = writes()
    response = login(net.care).post(
        reverse("clients:consent_create", args=[client.pk]), consent_data(net, **dates)
    )
    refused(response)
    assert writes() == before


def test_a_consent_given_on_the_first_day_of_1900_until_the_last_day_of_2100_is_recorded(net, login):
    client = net.new_client()
    before = Consent.objects.count()
    response = login(net.care).post(
        reverse("clients:consent_create", args=[client.pk]),
        consent_data(net, given_on="1900-01-01", valid_until="2100-12-31"),
    )
    assert response.status_code == 302
    consent = Consent.objects.latest("pk")
    assert Consent.objects.count() == before + 1
    assert (consent.given_on, consent.valid_until) == (datetime.date(1900, 1, 1), datetime.date(2100, 12, 31))


@pytest.mark.parametrize("start", ["0001-01-01", "2101-01-01"])
def test_a_waiting_list_start_outside_the_years_gives_the_form_message_and_changes_nothing(net, login, start):
    referral = net.refer(net.new_client())
    before = writes()
    response = login(net.screener).post(
        reverse("referrals:waitlist", args=[referral.pk]), {"expected_start": start}
    )
    refused(response)
    assert writes() == before
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUBMITTED and referral.expected_start is None


def test_a_waiting_list_start_on_the_last_day_of_2100_is_kept(net, login):
    referral = net.refer(net.new_client())
    response = login(net.screener).post(
        reverse("referrals:waitlist", args=[referral.pk]), {"expected_start": "2100-12-31"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.expected_start == datetime.date(2100, 12, 31)


# --- the fields -----------------------------------------------------------------------------------


def test_the_bounds_are_inclusive_and_hold_for_dates_and_date_times():
    field = core_forms.DateField()
    assert field.clean("1900-01-01") == datetime.date(1900, 1, 1)
    assert field.clean("2100-12-31") == datetime.date(2100, 12, 31)
    for value in OUTSIDE:
        with pytest.raises(forms.ValidationError) as refusal:
            field.clean(value)
        assert refusal.value.messages == [MESSAGE]
    meeting = MeetingForm({"starts_at": "0001-01-01T10:00"})
    assert not meeting.is_valid()
    assert meeting.errors["starts_at"] == [MESSAGE]


def test_the_date_picker_keeps_to_the_bounds():
    html = str(core_forms.DateField().widget.render("on", None, attrs=core_forms.DateField().widget.attrs))
    assert 'type="date"' in html and 'min="1900-01-01"' in html and 'max="2100-12-31"' in html


def test_the_message_is_translated():
    with translation.override("nl"):
        assert core_forms.date_range_message() == "Geef een datum van 1900 tot en met 2100."
    with translation.override("fr"):
        assert core_forms.date_range_message() == "Saisissez une date de 1900 à 2100 inclus."


def _all_forms() -> list[type[forms.BaseForm]]:
    """Every form class of the project: import every module (but tests and migrations), then walk
    the subclasses of BaseForm."""
    for module in pkgutil.walk_packages(werkbrug.__path__, "werkbrug."):
        if any(part in {"tests", "migrations", "wsgi"} for part in module.name.split(".")):
            continue
        importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    todo: list[type[forms.BaseForm]] = [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("werkbrug.") and ".tests." not in sub.__module__:
                found.append(sub)
    return found


def test_every_date_field_of_every_form_keeps_to_the_bounds():
    checked: dict[str, list[str]] = {}
    unbounded = []
    for form_class in _all_forms():
        for name, field in getattr(form_class, "base_fields", {}).items():
            if not isinstance(field, forms.DateField | forms.DateTimeField):
                continue
            checked.setdefault(form_class.__name__, []).append(name)
            bounded = isinstance(field, core_forms.DateField | core_forms.DateTimeField)
            if not bounded or core_forms.validate_date_range not in field.validators:
                unbounded.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    assert not unbounded, f"use werkbrug.core.forms.DateField/DateTimeField: {unbounded}"
    # The walk finds the forms it must: a page's date field cannot hide from it.
    for form_name, field_name in [
        ("CloseForm", "on"),
        ("ContactForm", "on"),
        ("ConsentForm", "given_on"),
        ("ConsentForm", "valid_until"),
        ("WaitlistForm", "expected_start"),
        ("ClientForm", "birth_date"),
        ("ReportParamsForm", "start"),
        ("ActionForm", "due_on"),
        ("MeetingForm", "starts_at"),
    ]:
        assert field_name in checked.get(form_name, []), (form_name, field_name)
