"""The demo's Job-Radar run (issue 18): built through the actions, seen by its coach."""

from __future__ import annotations

import pytest
from django.urls import reverse

from werkbrug.demo.load import load_demo
from werkbrug.groups.models import Attendance, Enrolment, EnrolmentStatus, Run
from werkbrug.network.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_job_radar_run_with_participants_and_attendance(client, settings):
    settings.LANGUAGE_CODE = "nl"
    load_demo()
    run = Run.objects.filter(sessions__isnull=False).distinct().get()
    assert run.template.name == "Job-Radar"
    assert Enrolment.objects.filter(run=run, status=EnrolmentStatus.ENROLLED).count() == 4
    assert Attendance.objects.filter(session__run=run).count() == 5 * 3 + 2
    assert Run.objects.count() == 2
    client.force_login(User.objects.get(username="coach.sara1"))
    page = client.get(reverse("groups:participants", args=[run.pk]))
    assert page.status_code == 200
    assert page.content.decode().count("data-enrolment=") == 4
