"""The generator's outreach (demo.generator.outreach) keeps what the actions keep, and its sizes
follow the scale; the full scale's figures are worked out from the same constants."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from werkbrug.demo.generator.outreach import DESTINATIONS, FULL_PATHS_A_YEAR, FULL_SITES
from werkbrug.network.models import Membership, Role
from werkbrug.outreach.models import Appointment, Conversation, OnwardReferral, Path, Project, Site


@pytest.mark.django_db
def test_the_tiny_network_gets_outreach_as_the_actions_would_write_it():
    call_command("generate_network", "--scale", "tiny", stdout=StringIO())
    today = timezone.localdate()
    assert Site.objects.count() == 6
    assert Project.objects.exists() and Path.objects.count() >= 60
    coaches = set(Membership.objects.filter(role=Role.COACH).values_list("user_id", "organisation_id"))
    assert set(Path.objects.values_list("coach_id", "site__run_by_id")) <= coaches
    assert not Path.objects.filter(started_on__gt=today).exists()
    assert not Conversation.objects.filter(on__lt=F("path__started_on")).exists()
    assert not OnwardReferral.objects.filter(referred_on__lt=F("path__started_on")).exists()
    assert not OnwardReferral.objects.filter(verified_on__gt=today).exists()
    assert not Appointment.objects.filter(path__isnull=False).exclude(state="attended").exists()


def test_the_full_scale_reaches_flanders_size():
    weights = dict(DESTINATIONS)
    p = weights["vdab"] / sum(weights.values())
    # Two thirds of the paths draw one destination, a third draw two (VDAB at least once: 1 - (1-p)^2).
    vdab_share = 2 / 3 * p + 1 / 3 * (1 - (1 - p) ** 2)
    assert FULL_SITES == 166
    assert FULL_PATHS_A_YEAR * vdab_share >= 4_200
