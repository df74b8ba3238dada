"""Two coaches enrol at once for the last seat: the run is locked, so one gets the seat and the other
goes on the waiting list; never 14 seated (docs/conventions.md, "Two people at once")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from werkbrug.groups.models import Enrolment, EnrolmentStatus, Run
from werkbrug.groups.tests.helpers import enrol_new, gtb_trajectory, plan_run
from werkbrug.testing import client_of, race

pytestmark = pytest.mark.django_db(transaction=True)


def post(user, url, data):
    page = client_of(user)
    return lambda: page.post(url, data)


def test_two_coaches_enrolling_for_the_last_seat_make_thirteen_not_fourteen(tnet):
    run = plan_run(tnet)
    for i in range(12):
        enrol_new(tnet, run, first_name=f"P{i}")
    ours, theirs = tnet.trajectory(), gtb_trajectory(tnet)
    url = reverse("groups:enrol", args=[run.pk])
    responses = race(
        post(tnet.coach, url, {"trajectory": ours.pk, "trajectory__q": str(ours.client)}),
        post(tnet.gtb_coach, url, {"trajectory": theirs.pk, "trajectory__q": str(theirs.client)}),
    )
    assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
    run = Run.objects.get(pk=run.pk)
    assert Enrolment.objects.filter(run=run, status=EnrolmentStatus.ENROLLED).count() == 13
    assert Enrolment.objects.filter(run=run, status=EnrolmentStatus.WAITING).count() == 1
