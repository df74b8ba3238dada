"""The care-work exchange in the demo: one client's competency profile written in care and shared
in part with the work partner, the IPS vocational profile kept by the coach, and feedback to the
referrer.
"""

from __future__ import annotations

from werkbrug.clients import actions as client_actions
from werkbrug.clients.models import VOCATIONAL_SECTIONS, ConsentPurpose, DataCategory, ProfileSection
from werkbrug.demo.clock import fresh
from werkbrug.demo.steps import SIGNED, Steps
from werkbrug.exchange import actions as exchange_actions
from werkbrug.trajectories.models import Trajectory

# The profile of one demo client (fictional).
COMPETENCY_TEXTS = {
    ProfileSection.WORK_HISTORY: "Tien jaar magazijnmedewerker; opleiding logistiek (BSO).",
    ProfileSection.SKILLS: "Nauwkeurig, kan met een heftruck rijden, werkt graag met de handen.",
    ProfileSection.STRENGTHS: "Betrouwbaar en stipt; collega's waarderen zijn rust.",
    ProfileSection.WORK_ATTITUDES: "Komt afspraken na; vraagt niet snel hulp.",
    ProfileSection.CONDITIONS: "Start met 2 halve dagen per week; geen nachtwerk; fiets of bus.",
    ProfileSection.SUPPORT_NEEDS: "Vaste contactpersoon op het werk; duidelijke taakomschrijving.",
    ProfileSection.WHAT_HELPS: "Een korte wandeling bij stress; vooraf weten wat er komt.",
    ProfileSection.CARE_CONTEXT: "Opname na een depressieve episode; nu ambulant opgevolgd door het PZ.",
}
SHARED_WITH_WORK = [
    ProfileSection.WORK_HISTORY,
    ProfileSection.SKILLS,
    ProfileSection.STRENGTHS,
    ProfileSection.CONDITIONS,
]
VOCATIONAL_TEXTS = {
    ProfileSection.IPS_PREFERENCES: "Werk in een magazijn of in het groen, dicht bij huis.",
    ProfileSection.IPS_EXPERIENCE: "Magazijn, orderpicking; kort als seizoenshelper in een tuincentrum.",
    ProfileSection.IPS_PITFALLS: "Te veel hooi op de vork nemen in de eerste weken.",
}


def share_profile(demo: Steps, trajectory: Trajectory, care: str, coach: str) -> None:
    """The competency profile written in care, shared in part with the work partner, the IPS
    vocational profile kept by the coach, and feedback to the referrer (issue: care-work exchange)."""
    client = trajectory.client
    sara = demo.actors[coach].org
    pz = demo.actors[care].org
    with demo.clock.at(150):
        for section, text in COMPETENCY_TEXTS.items():
            exchange_actions.save_section(demo.actors[care], client, section, text)
        client_actions.grant_consent(
            demo.actors[care],
            client,
            purpose=ConsentPurpose.PROFILE,
            recipient=sara,
            categories=[*SHARED_WITH_WORK, *VOCATIONAL_SECTIONS],
            evidence=SIGNED,
        )
        client_actions.grant_consent(
            demo.actors[care],
            client,
            purpose=ConsentPurpose.FEEDBACK,
            recipient=pz,
            categories=[DataCategory.TRAJECTORY],
            evidence=SIGNED,
        )
    with demo.clock.at(60):
        for section, text in VOCATIONAL_TEXTS.items():
            exchange_actions.save_section(demo.actors[coach], client, section, text)
    with demo.clock.at(8):
        exchange_actions.send_feedback(
            demo.actors[coach],
            fresh(trajectory),
            discussed="Werkt aan dagstructuur; bezocht een sociale werkplaats en wil dat verder verkennen.",
            steps="Cv samen opgemaakt; gesprek over het arbeidsprofiel gepland.",
            support_needed="Blijvende opvolging van slaap en medicatie door het PZ.",
        )
