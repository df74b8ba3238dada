"""The practice areas (IPS jobs, employers, outreach appointments) in the person's export and in
erasure: what the trajectory team wrote about the person is in the export of the team's organisation,
not in another organisation's, and erasure leaves none of it in the database (GDPR art. 15, 17, 20)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from werkbrug.dossier.export import export_client
from werkbrug.employers import actions as employer_actions
from werkbrug.employers.tests.helpers import employer_consent
from werkbrug.ips import actions as ips_actions
from werkbrug.ips.tests.conftest import make_employer, start_job, typed_trajectory
from werkbrug.network.models import Role
from werkbrug.outreach import booking_actions, path_actions
from werkbrug.outreach.models import Appointment
from werkbrug.outreach.tests.data import MONDAY, at, hours, site
from werkbrug.privacy.actions import erase_client
from werkbrug.privacy.models import ErasureRequest
from werkbrug.privacy.tests.dump import database_text, found
from werkbrug.testing import actor_for, make_user
from werkbrug.trajectories.models import Trajectory
from werkbrug.workcare.benefits import set_benefit
from werkbrug.workcare.clocks import record_milestone
from werkbrug.workcare.tests import data as workcare_data

# Free text about the person in each practice area, each with a word found nowhere else.
MARKERS = {
    "contact": "Werkgever hoorde over Rabarberinfo.",
    "end": "Stopte na ruzie, Kruisbesnotitie.",
    "benefit": "Invaliditeitsuitkering, Bosbesuitkering.",
    "income": "Loon plus Frambozeninkomen.",
    "limits": "Max 19 uur, Veenbesgrens.",
    "forms": "Formulier Moerbeiaanvraag.",
    "plan": "Plan met Vlierbesnota.",
    "disclosure": "Mag weten: Duindoornbeperking.",
    "step": "Halve dagen, Kweepeerstap.",
    "first_name": "Aalbessia",
    "phone": "0499 77 66 55",
    "path_name": "Kruisbessia",
    "conversation": "Gesprek over Cranberrytwijfel.",
    "onward": "Naar VDAB, Goudbesafspraak.",
    "place": "Atelier achter de Mispelhoeve.",
    "milestone": "Intake liep goed, Sleedoornintake.",
    "regime": "Uitkering via Jostabesloket.",
}


def _rich_practice_file(net):
    coach = actor_for(net.coach)
    today = datetime.date.today()
    trajectory = typed_trajectory(net, "ips", first_name="Ines", last_name="Practica")
    client = trajectory.client
    employer = make_employer(net)
    employer_consent(net, client)
    employer_actions.log_contact(
        coach,
        employer,
        on=today,
        mode="face_to_face",
        purpose="job_carving",
        place="community",
        trajectory=trajectory,
        note=MARKERS["contact"],
    )
    job = start_job(net, trajectory, employer, today - datetime.timedelta(days=20))
    ips_actions.end_placement(
        coach,
        job,
        ended_on=today - datetime.timedelta(days=1),
        end_reason="client_quit",
        end_note=MARKERS["end"],
    )
    ips_actions.add_income_plan(
        coach,
        trajectory,
        made_on=today,
        benefit_today=MARKERS["benefit"],
        expected_income=MARKERS["income"],
        hours_limits=MARKERS["limits"],
        forms_to_file=MARKERS["forms"],
        note=MARKERS["plan"],
    )
    ips_actions.add_disclosure(
        coach, trajectory, on=today, decision="partial", what_to_tell=MARKERS["disclosure"]
    )
    dcm = typed_trajectory(net, "dcm", first_name="Dirk")  # another client, with a DCM case
    case = ips_actions.save_dcm_case(
        coach,
        dcm,
        employer=employer,
        sick_since=today - datetime.timedelta(days=90),
        advising_physician="dr. X",
    )
    where = site(net)
    h = hours(net, where)
    appointment = booking_actions.book_appointment(
        coach,
        h,
        starts_at=at(MONDAY.date() + datetime.timedelta(days=1), 9),
        first_name=MARKERS["first_name"],
        phone=MARKERS["phone"],
    )
    Appointment.objects.filter(pk=appointment.pk).update(client=client)  # as confirming with a file does
    path = path_actions.start_path(
        coach, where, first_name=MARKERS["path_name"], channel="hours", started_on=today, client=client
    )
    path_actions.add_conversation(coach, path, on=today, note=MARKERS["conversation"])
    path_actions.refer_onward(coach, path, destination="vdab", referred_on=today, note=MARKERS["onward"])
    # Work-care, for another client of the same coach.
    care_work = workcare_data.workcare_trajectory(net, first_name="Wanda")
    deal = workcare_data.agreement(
        net,
        care_work,
        workcare_data.workshop(net),
        starts_on=today,
        place=MARKERS["place"],
        allowance_per_day=Decimal("3.50"),
    )
    record_milestone(coach, deal, kind="intake", on=today, note=MARKERS["milestone"])
    set_benefit(coach, care_work, regime="ocmw", note=MARKERS["regime"])
    return client, dcm, case


def test_the_export_holds_the_practice_areas_for_the_team_only(net):
    client, _dcm, _case = _rich_practice_file(net)
    mine = export_client(actor_for(net.coach), client)
    jobs, employers = mine["jobs"], mine["employers"]
    assert [p["end_note"] for p in jobs["placements"]] == [MARKERS["end"]]
    assert [p["benefit_today"] for p in jobs["income_plans"]] == [MARKERS["benefit"]]
    assert [d["what_the_employer_may_know"] for d in jobs["disclosure_log"]] == [MARKERS["disclosure"]]
    assert [c["note"] for c in employers["employer_contacts"]] == [MARKERS["contact"]]
    assert [a["phone"] for a in mine["appointments"]] == [MARKERS["phone"]]
    (path,) = mine["outreach_paths"]
    assert [c["note"] for c in path["conversations"]] == [MARKERS["conversation"]]
    assert [r["note"] for r in path["onward_referrals"]] == [MARKERS["onward"]]

    # The hospital referred the client and may see the file, but is not on the trajectory team and
    # runs no care site: none of it is in its export.
    theirs = export_client(actor_for(net.care), client)
    assert theirs["jobs"] == {"placements": [], "income_plans": [], "disclosure_log": [], "dcm": []}
    assert theirs["employers"]["employer_contacts"] == []
    assert theirs["appointments"] == [] == theirs["outreach_paths"]
    care_work = Trajectory.objects.get(type__code="arbeidszorg")
    (deal,) = export_client(actor_for(net.coach), care_work.client)["workcare"]["agreements"]
    assert (deal["place"], [m["note"] for m in deal["milestones"]]) == (
        MARKERS["place"],
        [MARKERS["milestone"]],
    )
    assert deal["allowance_per_day"] == "3.50"
    assert export_client(actor_for(net.care), care_work.client)["workcare"]["agreements"] == []
    assert found(str(theirs), list(MARKERS.values())) == []


def test_erasure_blanks_the_practice_areas(net):
    client, dcm, case = _rich_practice_file(net)
    ips_actions.add_return_step(
        actor_for(net.coach),
        case,
        from_on=datetime.date.today(),
        hours_per_week=Decimal("8"),
        note=MARKERS["step"],
    )
    care_work = Trajectory.objects.get(type__code="arbeidszorg")
    for person in (client, dcm.client, care_work.client):
        assert found(database_text(), list(MARKERS.values())) != []
        officer = make_user(f"privacy{person.pk}", net.network_org, Role.PRIVACY_OFFICER)
        erase_client(
            actor_for(officer),
            person,
            request=ErasureRequest(
                received_on=datetime.date.today(), requested_by="de cliënt", reason="brief"
            ),
        )
    assert found(database_text(), list(MARKERS.values())) == []
