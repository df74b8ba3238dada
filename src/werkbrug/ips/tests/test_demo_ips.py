"""The demo's IPS stories show what a coach should see: a follow-along slot missed and one open, a
job-loss contact due, and a DCM return-to-work plan."""

from __future__ import annotations

from django.test import Client as WebClient
from django.urls import reverse

from werkbrug.demo.load import load_demo
from werkbrug.ips.models import DcmCase, Placement
from werkbrug.network.models import User


def test_coach_sara1_sees_the_follow_along_and_the_job_loss_on_the_caseload(db):
    load_demo()
    page = WebClient()
    page.force_login(User.objects.get(username="coach.sara1"))
    caseload = page.get(reverse("trajectories:caseload")).content.decode()
    running = Placement.objects.get(job_title="Medewerker plantenafdeling")
    ended = Placement.objects.get(job_title="Orderpicker")
    assert f'data-due-placement="{running.pk}" data-due-status="overdue"' in caseload
    assert f'data-due-placement="{running.pk}" data-due-status="open"' in caseload
    assert f'data-due-placement="{ended.pk}" data-due-status="due"' in caseload
    detail = page.get(reverse("trajectories:detail", args=[ended.trajectory_id])).content.decode()
    assert "update asked since" in detail
    case = DcmCase.objects.get()
    dcm = page.get(reverse("ips:trajectory", args=[case.trajectory_id])).content.decode()
    assert dcm.count("data-step=") == 3
    jobs = page.get(reverse("ips:trajectory", args=[running.trajectory_id])).content.decode()
    assert "Afspraken over de pauzes" in jobs
