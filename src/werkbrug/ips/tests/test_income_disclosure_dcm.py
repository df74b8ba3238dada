"""Income plans, the disclosure log and the DCM case: the trajectory team only (404 for anyone
else), bad input writes nothing, a double submit has one effect; the disclosure talk before the
first employer contact and its revisit after two months without a job; the return-to-work table."""

from __future__ import annotations

import pytest
from django.urls import reverse

from werkbrug.employers.models import ContactPurpose, EmployerContact
from werkbrug.ips.followalong import add_months
from werkbrug.ips.models import DcmCase, DisclosureEntry, IncomePlan, ReturnToWorkStep
from werkbrug.ips.tests.conftest import start_job, typed_trajectory
from werkbrug.testing import days_ago
from werkbrug.trajectories.models import PartnerRole, TrajectoryPartner

PLAN = {
    "made_on": days_ago(1).isoformat(),
    "benefit_today": "RIZIV € 1.450",
    "expected_income": "loon + deel uitkering",
}
DISCLOSURE = {
    "on": days_ago(1).isoformat(),
    "decision": "partial",
    "what_to_tell": "Dat ik soms rust nodig heb.",
}


def test_an_income_plan_is_saved_once_and_shown_to_the_team(net, login, ips):
    client = login(net.coach)
    url = reverse("ips:income_plan", args=[ips.pk])
    assert client.post(url, PLAN).status_code == 302
    assert client.post(url, PLAN).status_code == 400  # the same plan twice: refused
    assert IncomePlan.objects.filter(trajectory=ips).count() == 1
    assert "RIZIV € 1.450" in client.get(reverse("ips:trajectory", args=[ips.pk])).content.decode()


@pytest.mark.parametrize(
    "bad", [{"benefit_today": ""}, {"expected_income": ""}, {"made_on": "2999-01-01"}, {"made_on": "x"}]
)
def test_bad_input_on_an_income_plan_writes_nothing(net, login, ips, bad):
    response = login(net.coach).post(reverse("ips:income_plan", args=[ips.pk]), {**PLAN, **bad})
    assert response.status_code == 400
    assert IncomePlan.objects.count() == 0


def test_a_disclosure_decision_is_recorded_once(net, login, ips):
    client = login(net.coach)
    url = reverse("ips:disclosure", args=[ips.pk])
    assert client.post(url, DISCLOSURE).status_code == 302
    assert client.post(url, DISCLOSURE).status_code == 400
    assert DisclosureEntry.objects.filter(trajectory=ips).count() == 1


@pytest.mark.parametrize("bad", [{"decision": ""}, {"decision": "maybe"}, {"what_to_tell": ""}, {"on": ""}])
def test_bad_input_on_a_disclosure_decision_writes_nothing(net, login, ips, bad):
    response = login(net.coach).post(reverse("ips:disclosure", args=[ips.pk]), {**DISCLOSURE, **bad})
    assert response.status_code == 400
    assert DisclosureEntry.objects.count() == 0


def test_income_plans_and_disclosure_are_the_trajectory_teams_only(net, login):
    trajectory = typed_trajectory(net, follow_outcome=True)
    coach = login(net.coach)
    coach.post(reverse("ips:income_plan", args=[trajectory.pk]), PLAN)
    coach.post(reverse("ips:disclosure", args=[trajectory.pk]), DISCLOSURE)
    urls = [
        reverse("ips:trajectory", args=[trajectory.pk]),
        reverse("ips:income_plan", args=[trajectory.pk]),
        reverse("ips:disclosure", args=[trajectory.pk]),
    ]
    # gtb_coach: a coach of another organisation; care: a partner (care in the background, following
    # the outcome) without a team role; funder; outsider.
    for user in (net.gtb_coach, net.care, net.funder, net.outsider):
        client = login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(urls[1], {**PLAN, "note": "x"}).status_code == 404
        assert client.post(urls[2], {**DISCLOSURE, "decision": "none"}).status_code == 404
    assert IncomePlan.objects.count() == 1 and DisclosureEntry.objects.count() == 1
    # A contributing partner is on the team, but only through its coaches and coordinators:
    TrajectoryPartner.objects.filter(trajectory=trajectory, organisation=net.hospital).update(
        role=PartnerRole.CONTRIBUTING
    )
    assert login(net.care).get(urls[0]).status_code == 404


def test_disclosure_is_discussed_before_the_first_employer_contact(net, login, ips, employer):
    client = login(net.coach)
    page = client.get(reverse("ips:trajectory", args=[ips.pk])).content.decode()
    assert 'data-due="disclosure"' in page
    EmployerContact.objects.create(
        employer=employer,
        on=days_ago(10),
        coach=net.coach,
        organisation=net.sara,
        purpose=ContactPurpose.VACANCY,
        trajectory=ips,
    )
    client.post(reverse("ips:disclosure", args=[ips.pk]), DISCLOSURE)  # discussed after: too late
    page = client.get(reverse("ips:trajectory", args=[ips.pk])).content.decode()
    assert 'data-due="disclosure-late"' in page and days_ago(10).strftime("%d/%m/%Y") in page
    client.post(reverse("ips:disclosure", args=[ips.pk]), {**DISCLOSURE, "on": days_ago(12).isoformat()})
    page = client.get(reverse("ips:trajectory", args=[ips.pk])).content.decode()
    assert 'data-due="disclosure-late"' not in page and 'data-due="disclosure"' not in page


def test_the_disclosure_is_revisited_after_two_months_without_a_job(net, login, ips, employer):
    client = login(net.coach)
    decided = days_ago(70)
    client.post(reverse("ips:disclosure", args=[ips.pk]), {**DISCLOSURE, "on": decided.isoformat()})
    revisit = add_months(decided, 2)  # about 61 days later: before today
    assert revisit <= days_ago(0)
    page = client.get(reverse("ips:trajectory", args=[ips.pk])).content.decode()
    assert 'data-due="disclosure-revisit"' in page and revisit.strftime("%d/%m/%Y") in page
    # With a job running there is nothing to revisit.
    placement = start_job(net, ips, employer, days_ago(30))
    assert (
        'data-due="disclosure-revisit"'
        not in client.get(reverse("ips:trajectory", args=[ips.pk])).content.decode()
    )
    # The job ended 20 days ago: two months from that end, not yet.
    placement.ended_on, placement.end_reason = days_ago(20), "dismissed"
    placement.save()
    assert (
        'data-due="disclosure-revisit"'
        not in client.get(reverse("ips:trajectory", args=[ips.pk])).content.decode()
    )


# --- DCM -------------------------------------------------------------------------------------------


def test_a_dcm_case_and_its_return_to_work_plan(net, login, employer):
    dcm = typed_trajectory(net, "dcm")
    client = login(net.coach)
    url = reverse("ips:dcm", args=[dcm.pk])
    data = {
        "employer": employer.pk,
        "sick_since": days_ago(200).isoformat(),
        "advising_physician": "dr. Claes",
        "insurer": "CM",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "advising_physician": "dr. Maes"}).status_code == 302  # a correction
    case = DcmCase.objects.get()
    assert (case.employer, case.sick_since, case.advising_physician) == (employer, days_ago(200), "dr. Maes")
    steps = reverse("ips:return_step", args=[dcm.pk])
    for day, hours in [(days_ago(30), "8"), (days_ago(10), "16"), (days_ago(-20), "24")]:
        assert client.post(steps, {"from_on": day.isoformat(), "hours_per_week": hours}).status_code == 302
    # The same date twice, a step before the sick leave, no hours: refused, nothing written.
    assert (
        client.post(steps, {"from_on": days_ago(10).isoformat(), "hours_per_week": "20"}).status_code == 400
    )
    assert (
        client.post(steps, {"from_on": days_ago(300).isoformat(), "hours_per_week": "4"}).status_code == 400
    )
    assert client.post(steps, {"from_on": days_ago(5).isoformat(), "hours_per_week": ""}).status_code == 400
    assert ReturnToWorkStep.objects.count() == 3
    page = client.get(reverse("ips:trajectory", args=[dcm.pk])).content.decode()
    table = page.split('id="dcm"', 1)[1]
    order = [table.index(f'data-step="{d.isoformat()}"') for d in (days_ago(30), days_ago(10), days_ago(-20))]
    assert order == sorted(order)
    assert "dr. Maes" in table
    assert (
        "DCM: employed at Bakkerij Janssens"
        in client.get(reverse("trajectories:detail", args=[dcm.pk])).content.decode()
    )


def test_a_dcm_case_needs_a_dcm_trajectory_and_good_input(net, login, ips, employer):
    client = login(net.coach)
    data = {
        "employer": employer.pk,
        "sick_since": days_ago(20).isoformat(),
        "advising_physician": "dr. Claes",
    }
    assert client.post(reverse("ips:dcm", args=[ips.pk]), data).status_code == 400
    dcm = typed_trajectory(net, "dcm")
    assert (
        client.post(reverse("ips:dcm", args=[dcm.pk]), {**data, "advising_physician": ""}).status_code == 400
    )
    assert (
        client.post(reverse("ips:dcm", args=[dcm.pk]), {**data, "sick_since": "2999-01-01"}).status_code
        == 400
    )
    assert DcmCase.objects.count() == 0
    # No case yet: no step can be added.
    assert client.get(reverse("ips:return_step", args=[dcm.pk])).status_code == 404


def test_outsiders_get_404_on_the_dcm_forms(net, login, employer):
    dcm = typed_trajectory(net, "dcm", follow_outcome=True)
    login(net.coach).post(
        reverse("ips:dcm", args=[dcm.pk]),
        {"employer": employer.pk, "sick_since": days_ago(20).isoformat(), "advising_physician": "dr. Claes"},
    )
    for user in (net.gtb_coach, net.care, net.funder, net.outsider):
        client = login(user)
        for name in ("ips:dcm", "ips:return_step"):
            assert client.get(reverse(name, args=[dcm.pk])).status_code == 404
        posted = client.post(
            reverse("ips:return_step", args=[dcm.pk]),
            {"from_on": days_ago(1).isoformat(), "hours_per_week": "4"},
        )
        assert posted.status_code == 404
    assert ReturnToWorkStep.objects.count() == 0
