"""Zitdagen (issue 18 point 5): antenna points are sites of kind "antenna point", their zitdagen
are their consultation hours with who is there; a trajectory contact held on a zitdag records where
it took place. Outsiders, bad input, double submit, constant queries."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from werkbrug.outreach import actions
from werkbrug.outreach.models import ContactPlace, SiteKind
from werkbrug.outreach.tests.data import hours, sara_coach2, site
from werkbrug.testing import actor_for
from werkbrug.trajectories.models import Contact

NOV = datetime.date(2026, 11, 2)  # a Monday, before the frozen MONDAY (7 December 2026)


@pytest.fixture
def kapellen(net, frozen):
    """Kapellen: Tuesdays (the SaRA coach, 22 December cancelled) and every other Thursday from
    10 December (a second SaRA coach). A ward with hours beside it is no antenna point."""
    point = site(
        net, name="Antennepunt Kapellen", kind=SiteKind.ANTENNA, host=None, host_name="Gemeente Kapellen"
    )
    tuesdays = hours(net, point, valid_from=NOV, place="zaal 2")
    actions.cancel_date(actor_for(net.coach), tuesdays, on=datetime.date(2026, 12, 22))
    hours(net, point, weekday=3, every=2, coach=sara_coach2(net), valid_from=datetime.date(2026, 12, 10))
    hours(net, site(net, name="PZ afdeling B"))
    return point


def zitdag_keys(html):
    return sorted(part.split('"')[0] for part in html.split('data-zitdag="')[1:])


def test_the_zitdagen_page_shows_who_is_there_when_for_four_weeks(net, login, kapellen):
    html = login(net.coach).get(reverse("outreach:zitdagen")).content.decode()
    p = kapellen.pk
    # 7 December - 3 January: Tuesdays 8, 15, 22 (cancelled), 29; Thursdays 10 and 24.
    assert zitdag_keys(html) == [
        f"{p}-2026-12-08",
        f"{p}-2026-12-10",
        f"{p}-2026-12-15",
        f"{p}-2026-12-22",
        f"{p}-2026-12-24",
        f"{p}-2026-12-29",
    ]
    assert "PZ afdeling B" not in html  # not an antenna point
    assert "Coach2" in html and "zaal 2" in html
    row = html.split(f'data-zitdag="{p}-2026-12-22"')[1].split("</tr>")[0]
    assert "<s>" in row  # cancelled


def test_another_organisation_sees_none_of_the_zitdagen_and_others_get_404(net, login, kapellen):
    assert "Kapellen" not in login(net.gtb_coach).get(reverse("outreach:zitdagen")).content.decode()
    for who in (net.funder, net.care, net.admin, net.outsider):
        assert login(who).get(reverse("outreach:zitdagen")).status_code == 404


def test_the_zitdagen_page_runs_a_constant_number_of_queries(
    net, login, kapellen, django_assert_max_num_queries
):
    page = login(net.coach)
    page.get(reverse("outreach:zitdagen"))
    for n in range(3):
        point = site(net, name=f"Antennepunt {n}", kind=SiteKind.ANTENNA)
        hours(net, point, weekday=n)
    with django_assert_max_num_queries(12):
        response = page.get(reverse("outreach:zitdagen"))
    assert response.content.decode().count("<h2") == 4


def seen_on(page, url):
    return page.get(url).content.decode().split('name="seen" value="')[1].split('"')[0]


def contact_data(point, seen, on="2026-12-01"):
    return {
        "site": point.pk,
        "on": on,
        "kind": "face_to_face",
        "duration_minutes": "30",
        "note": "",
        "seen": seen,
    }


def test_a_contact_on_a_zitdag_records_where_it_took_place(net, login, kapellen):
    trajectory = net.trajectory()
    page = login(net.coach)
    detail = page.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    url = reverse("outreach:zitdag_contact", args=[trajectory.pk])
    assert url in detail  # the panel offers it
    response = page.post(url, contact_data(kapellen, seen_on(page, url)))  # Tuesday 1 December
    assert response.status_code == 302
    contact = Contact.objects.get(trajectory=trajectory)
    assert ContactPlace.objects.get(contact=contact).site == kapellen
    assert contact.on == datetime.date(2026, 12, 1)
    detail = page.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert "Antennepunt Kapellen" in detail.split('id="outreach-zitdagen"')[1]


@pytest.mark.parametrize(
    "change",
    [
        {"on": "2026-12-02"},  # a Wednesday: no zitdag
        {"on": "2026-12-22"},  # cancelled (and in the future)
        {"on": "2026-12-15"},  # the future
        {"kind": "outreach_attempt"},
        {"site": "x"},
    ],
)
def test_a_bad_zitdag_contact_is_refused_and_writes_nothing(net, login, kapellen, change):
    trajectory = net.trajectory()
    page = login(net.coach)
    url = reverse("outreach:zitdag_contact", args=[trajectory.pk])
    data = contact_data(kapellen, seen_on(page, url)) | change
    assert page.post(url, data).status_code == 400
    assert not Contact.objects.exists() and not ContactPlace.objects.exists()


def test_a_ward_is_no_antenna_point_for_a_zitdag_contact(net, login, kapellen):
    trajectory = net.trajectory()
    ward = site(net, name="Ward")
    hours(net, ward, valid_from=NOV)
    page = login(net.coach)
    url = reverse("outreach:zitdag_contact", args=[trajectory.pk])
    assert page.post(url, contact_data(ward, seen_on(page, url))).status_code == 400
    assert not Contact.objects.exists()


def test_a_double_submitted_zitdag_contact_is_recorded_once(net, login, kapellen):
    trajectory = net.trajectory()
    page = login(net.coach)
    url = reverse("outreach:zitdag_contact", args=[trajectory.pk])
    seen = seen_on(page, url)
    assert page.post(url, contact_data(kapellen, seen)).status_code == 302
    assert page.post(url, contact_data(kapellen, seen)).status_code in (200, 400)
    assert Contact.objects.count() == 1 and ContactPlace.objects.count() == 1


def test_outsiders_get_404_on_the_zitdag_contact_form(net, login, kapellen):
    trajectory = net.trajectory()
    url = reverse("outreach:zitdag_contact", args=[trajectory.pk])
    for who in (net.gtb_coach, net.funder, net.outsider, net.admin, net.care):
        assert login(who).get(url).status_code == 404, who
