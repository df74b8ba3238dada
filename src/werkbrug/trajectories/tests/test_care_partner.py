"""The care partner on call: added by the lead coach only with the client's consent for that
organisation, flagged on the caseload for the types that ask for one, 404 for outsiders, and a double
submit adds one partner."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from werkbrug.clients.actions import grant_consent, withdraw_consent
from werkbrug.clients.models import FILE_BASE_CATEGORIES, ConsentPurpose, Involvement
from werkbrug.network.models import TrajectoryType
from werkbrug.referrals import actions as referral_actions
from werkbrug.testing import SIGNED, actor_for
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import CarePartnerType, PartnerRole, Trajectory, TrajectoryPartner

FLAG = 'data-flag="care-partner"'


def self_referred(net, code: str = "arbeidscoach") -> Trajectory:
    """A trajectory without a care partner: registered and referred by SaRA itself (as for a client
    who came on their own), accepted by the SaRA coach."""
    client = net.new_client(by=net.coach, first_name="Selma", last_name="Zelfgemeld")
    referral = net.refer(client, by=net.coach)
    referral_actions.assign_referral(actor_for(net.screener), referral, coach=net.coach)
    return trajectory_actions.accept_referral(
        actor_for(net.coach), referral, trajectory_type=TrajectoryType.objects.get(code=code)
    )


def consent_for(net, trajectory: Trajectory, organisation):
    return grant_consent(
        actor_for(net.coach),
        trajectory.client,
        purpose=ConsentPurpose.COLLABORATION,
        recipient=organisation,
        categories=list(FILE_BASE_CATEGORIES),
        evidence=SIGNED,
    )


def add_url(trajectory: Trajectory) -> str:
    return reverse("trajectories:care_partner_add", args=[trajectory.pk])


def care_partners(trajectory: Trajectory) -> list[int]:
    return list(
        TrajectoryPartner.objects.filter(trajectory=trajectory, role=PartnerRole.CARE_BACKGROUND).values_list(
            "organisation_id", flat=True
        )
    )


def test_the_arbeidscoach_type_asks_a_care_partner(db):
    assert CarePartnerType.objects.filter(type__code="arbeidscoach").exists()
    assert not CarePartnerType.objects.filter(type__code="ips").exists()


def test_without_the_clients_consent_the_partner_is_refused(net, login):
    trajectory = self_referred(net)
    response = login(net.coach).post(add_url(trajectory), {"organisation": net.hospital.pk})
    assert response.status_code == 200
    assert "has not consented" in response.content.decode()
    assert care_partners(trajectory) == []
    assert not Involvement.objects.filter(client=trajectory.client, organisation=net.hospital).exists()


def test_a_withdrawn_consent_does_not_count(net, login):
    trajectory = self_referred(net)
    consent = consent_for(net, trajectory, net.hospital)
    withdraw_consent(actor_for(net.coach), consent)
    response = login(net.coach).post(add_url(trajectory), {"organisation": net.hospital.pk})
    assert response.status_code == 200
    assert care_partners(trajectory) == []


def test_with_consent_the_coach_adds_the_care_partner_and_it_sees_the_file(net, login):
    trajectory = self_referred(net)
    consent_for(net, trajectory, net.hospital)
    page = login(net.coach)
    assert page.get(add_url(trajectory)).status_code == 200
    response = page.post(add_url(trajectory), {"organisation": net.hospital.pk})
    assert response.status_code == 302
    assert care_partners(trajectory) == [net.hospital.pk]
    # The partner's care professional now opens the trajectory.
    assert login(net.care).get(reverse("trajectories:detail", args=[trajectory.pk])).status_code == 200


def test_a_double_submit_adds_one_partner(net, login):
    trajectory = self_referred(net)
    consent_for(net, trajectory, net.hospital)
    page = login(net.coach)
    assert page.post(add_url(trajectory), {"organisation": net.hospital.pk}).status_code == 302
    second = page.post(add_url(trajectory), {"organisation": net.hospital.pk})
    assert second.status_code == 200
    assert "already the care partner on call" in second.content.decode()
    assert care_partners(trajectory) == [net.hospital.pk]


@pytest.mark.parametrize("value", ["", "abc", "999999"])
def test_bad_input_is_refused(net, login, value):
    trajectory = self_referred(net)
    response = login(net.coach).post(add_url(trajectory), {"organisation": value})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert care_partners(trajectory) == []


def test_a_work_organisation_is_not_a_care_partner(net, login):
    trajectory = self_referred(net)
    response = login(net.coach).post(add_url(trajectory), {"organisation": net.gtb.pk})
    assert response.status_code == 200
    assert care_partners(trajectory) == []


@pytest.mark.parametrize("who", ["outsider", "gtb_coach", "funder", "admin"])
def test_outsiders_get_404(net, login, who):
    trajectory = self_referred(net)
    consent_for(net, trajectory, net.hospital)
    page = login(getattr(net, who))
    assert page.get(add_url(trajectory)).status_code == 404
    assert page.post(add_url(trajectory), {"organisation": net.hospital.pk}).status_code == 404
    assert care_partners(trajectory) == []


def test_the_caseload_flags_a_trajectory_without_a_care_partner_until_one_is_added(net, login):
    trajectory = self_referred(net)
    page = login(net.coach)
    caseload = reverse("trajectories:caseload")
    body = page.get(caseload).content.decode()
    assert body.count(FLAG) == 1
    assert add_url(trajectory) in body
    consent_for(net, trajectory, net.hospital)
    page.post(add_url(trajectory), {"organisation": net.hospital.pk})
    assert FLAG not in page.get(caseload).content.decode()


def test_no_flag_for_a_type_that_does_not_ask_or_a_referral_from_care(net, login):
    self_referred(net, code="ips")
    net.trajectory()  # referred by the hospital: it is the care partner in the background
    assert FLAG not in login(net.coach).get(reverse("trajectories:caseload")).content.decode()


def test_the_caseload_with_the_flag_runs_a_constant_number_of_queries(net, login):
    page = login(net.coach)
    counts = []
    for rows in (1, 6):
        while Trajectory.objects.filter(coach=net.coach).count() < rows:
            self_referred(net)
        with CaptureQueriesContext(connection) as captured:
            body = page.get(reverse("trajectories:caseload")).content.decode()
        assert body.count(FLAG) == rows
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.django_db(transaction=True)
def test_two_coaches_adding_the_same_partner_at_once_add_one(tnet):
    from werkbrug.testing import client_of, one_done_one_refused, race

    trajectory = self_referred(tnet)
    consent_for(tnet, trajectory, tnet.hospital)
    browsers = [client_of(tnet.coach), client_of(tnet.coach)]
    responses = race(
        *(lambda b=b: b.post(add_url(trajectory), {"organisation": tnet.hospital.pk}) for b in browsers)
    )
    one_done_one_refused(responses)
    assert care_partners(trajectory) == [tnet.hospital.pk]
