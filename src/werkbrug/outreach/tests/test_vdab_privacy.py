"""Seed 002 L4466-4469: "a VDAB referral carries nothing of the project". Recording an onward
referral to VDAB writes nothing outside the outreach area: no involvement or consent for VDAB, no
message; and VDAB, even when it knows the same person through its own file, sees nothing of the
outreach site, project, path or conversations."""

from __future__ import annotations

import json

import pytest
import time_machine
from django.urls import reverse

from werkbrug.clients.actions import ensure_consent, involve
from werkbrug.clients.models import Consent, ConsentPurpose, Involvement, InvolvementReason
from werkbrug.network.models import Organisation, OrganisationKind, OrganisationType, Role
from werkbrug.outreach import path_actions, project_actions
from werkbrug.outreach.models import Destination, PathChannel
from werkbrug.outreach.tests.data import MONDAY, site
from werkbrug.testing import SIGNED, actor_for, make_user

SECRETS = (
    "PZ Bethanië, afdeling B",
    "Vindplaats Antwerpen",
    "slaapt slecht",
    "wil voltijds",
    "Coach werk op de vindplaats",
)


@pytest.fixture
def story(net):
    with time_machine.travel(MONDAY, tick=False):
        vdab = Organisation.objects.create(
            name="VDAB Antwerpen", kind=OrganisationKind.WORK, org_type=OrganisationType.OTHER
        )
        vdab_coach = make_user("vdabcoach", vdab, Role.COACH)
        coach, boss = actor_for(net.coach), actor_for(net.coordinator)
        s = site(net)
        p = project_actions.create_project(
            boss, name="Vindplaats Antwerpen", starts_on=MONDAY.date(), ends_on=MONDAY.date()
        )
        project_actions.add_site(boss, p, site=s)
        client = net.new_client(by=net.coach)
        path = path_actions.start_path(
            coach, s, first_name="Mira", channel=PathChannel.HOURS, started_on=MONDAY.date(), client=client
        )
        path_actions.add_conversation(coach, path, on=MONDAY.date(), note="slaapt slecht")
        before = (
            Involvement.objects.filter(organisation=vdab).count(),
            Consent.objects.filter(recipient=vdab).count(),
        )
        referral = path_actions.refer_onward(
            coach, path, destination=Destination.VDAB, referred_on=MONDAY.date(), note="wil voltijds"
        )
        path_actions.verify_referral(coach, referral, on=MONDAY.date())
        after = (
            Involvement.objects.filter(organisation=vdab).count(),
            Consent.objects.filter(recipient=vdab).count(),
        )
    return {
        "vdab": vdab,
        "vdab_coach": vdab_coach,
        "client": client,
        "path": path,
        "project": p,
        "site": s,
        "before": before,
        "after": after,
    }


def test_a_vdab_referral_gives_vdab_no_involvement_and_no_consent(story):
    assert story["before"] == story["after"] == (0, 0)


def test_vdab_sees_nothing_of_the_outreach_even_knowing_the_person(net, login, story):
    client, vdab = story["client"], story["vdab"]
    # VDAB knows the same person through its own file (its own involvement and record consent).
    involve(client, vdab, InvolvementReason.REGISTERED)
    ensure_consent(
        actor_for(story["vdab_coach"]), client, purpose=ConsentPurpose.RECORD, recipient=vdab, evidence=SIGNED
    )
    page = login(story["vdab_coach"])
    detail = page.get(reverse("clients:detail", args=[client.pk]))
    assert detail.status_code == 200  # the file itself is VDAB's to see
    shown = [detail.content.decode()]
    export = page.get(reverse("clients:export", args=[client.pk]))
    assert export.status_code == 200  # the person's export as VDAB gives it
    shown.append(json.dumps(json.loads(export.content), ensure_ascii=False))
    shown.append(page.get(reverse("clients:access_log", args=[client.pk])).content.decode())
    for html in shown:
        for secret in SECRETS:
            assert secret not in html, secret
    for url in (
        reverse("outreach:path", args=[story["path"].pk]),
        reverse("outreach:site", args=[story["site"].pk]),
        reverse("outreach:project", args=[story["project"].pk]),
        reverse("trajectories:detail", args=[story["path"].trajectory_id]),
    ):
        assert page.get(url).status_code == 404, url
