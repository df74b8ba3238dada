"""The demo network has outreach: two sites with hours and a pending booking, seen by the outreach
coach of SaRA, not by GTB's coach."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from werkbrug.network.models import User
from werkbrug.outreach.models import Booking, BookingStatus, Hours, Site


@pytest.fixture
def demo(db) -> None:
    call_command("load_demo", stdout=StringIO())


def test_the_outreach_coach_sees_two_sites_with_hours_and_a_pending_booking(demo, client):
    assert Site.objects.count() == 2 and Hours.objects.count() == 2
    client.force_login(User.objects.get(username="coach.sara2"))
    sites = client.get(reverse("outreach:sites"))
    assert {s.name for s in sites.context["page"].object_list} == set(
        Site.objects.values_list("name", flat=True)
    )
    bookings = client.get(reverse("outreach:bookings"))
    pending = Booking.objects.filter(status=BookingStatus.PENDING).count()
    assert pending == 2 and len(bookings.context["page"].object_list) == pending
    ward = Site.objects.get(name__contains="Kompas")
    assert client.get(reverse("outreach:site", args=[ward.pk])).context["has_agreement"] is True


def test_gtbs_coach_sees_none_of_them(demo, client):
    client.force_login(User.objects.get(username="coach.gtb"))
    assert list(client.get(reverse("outreach:sites")).context["page"].object_list) == []
