"""The demo's pathway stories: clients registered by the care partners, referred to the
arbeidscoach (SaRA) or GTB line, triaged and taken on, and their trajectories through phases,
contacts, ladder steps, goals, outcomes, pauses, handovers and closing — plus the referrals still
waiting for a decision.
"""

from __future__ import annotations

import datetime

from werkbrug.clients.models import DataCategory
from werkbrug.demo.clock import fresh
from werkbrug.demo.exchange import share_profile
from werkbrug.demo.steps import SIGNED, Steps
from werkbrug.referrals import actions as referral_actions
from werkbrug.referrals.models import DeclineReason, Referral
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import CloseReason, Economy, OutcomeKind, Phase


def active_sara(demo: Steps) -> None:
    c1, c2 = "coach.sara1", "coach.sara2"

    t = demo.sara_trajectory(c1, "zorg.pz", 160, 4, every=7)
    share_profile(demo, t, "zorg.pz", c1)
    demo.phase(t, c1, 90, Phase.ASSESSMENT)
    demo.phase(t, c1, 40, Phase.COACHING)
    demo.ladder(t, c1, [(160, 2), (70, 3)])
    demo.goal(t, c1, 90, "Dagstructuur opbouwen: drie vaste momenten per week", 30, done_ago=55)
    demo.goal(t, c1, 45, "Bezoek aan een sociale werkplaats plannen", 21)  # overdue
    demo.goal(t, c1, 10, "Gesprek over het arbeidsprofiel afronden", 20)

    t = demo.sara_trajectory(c1, "zorg.pz", 280, 6, every=10)
    demo.phase(t, c1, 200, Phase.SEARCH)
    demo.phase(t, c1, 35, Phase.FOLLOW_ALONG)
    demo.ladder(t, c1, [(280, 3), (150, 4), (35, 6)])
    demo.outcome(t, c1, 35, OutcomeKind.PAID_WORK, economy=Economy.NEC, note="Halftijds magazijnmedewerker")
    demo.goal(t, c1, 35, "Wekelijks contact in de eerste maand op het werk", 28, done_ago=7)

    t = demo.sara_trajectory(c1, "zorg.cgg", 200, 50, every=12)  # not seen for 7 weeks
    demo.ladder(t, c1, [(200, 2)])
    demo.outreach(t, c1, [30, 16])
    demo.goal(t, c1, 120, "Opnieuw contact leggen via de begeleider van het CGG", 30)  # overdue

    t = demo.sara_trajectory(c1, "zorg.pz", 120, 9, every=9)
    demo.care_note(t, "zorg.pz", 60, "Medicatie aangepast; slaapt beter. Enkel voor zorgpartners.")
    demo.care_note(t, "zorg.pz", 20, "Stabiel; ondersteunt de stap naar vrijwilligerswerk.")
    demo.ladder(t, c1, [(120, 2), (30, 3)])
    demo.goal(t, c1, 60, "Vrijwilligerswerk verkennen (twee plaatsen bezoeken)", 45)

    t = demo.sara_trajectory(c1, "zorg.ibw", 240, 12, every=14)
    demo.phase(t, c1, 150, Phase.SEARCH)
    demo.outcome(t, c1, 130, OutcomeKind.VDAB_REGISTRATION, note="Ingeschreven bij VDAB met arbeidsbeperking")
    demo.outcome(t, c1, 60, OutcomeKind.TRAINING, note="Opleiding heftruckchauffeur gestart")
    demo.ladder(t, c1, [(240, 3), (60, 4)])

    t = demo.sara_trajectory(c1, "zorg.pz", 100, 10, every=8)
    demo.goal(t, c1, 80, "Cv opmaken samen met de coach", 14)  # overdue
    demo.goal(t, c1, 50, "Inschrijven voor Job-Radar", 21)  # overdue
    demo.ladder(t, c1, [(100, 2)])

    t = demo.sara_trajectory(c1, "zorg.pz", 180, 40, every=10)
    demo.pause(t, c1, 35, "Opname in het PZ; de zorgpartner blijft op de achtergrond betrokken.")
    demo.care_note(t, "zorg.pz", 20, "Opname verloopt goed; werk blijft een doel.")

    t = demo.sara_trajectory(c1, "zorg.ibw", 150, 45, every=11)  # not seen for 6 weeks
    demo.ladder(t, c1, [(150, 1), (90, 2)])
    demo.outreach(t, c1, [20])

    t = demo.sara_trajectory(c1, "zorg.pz", 300, 8, every=12)
    demo.phase(t, c1, 100, Phase.COACHING)
    demo.ladder(t, c1, [(300, 3), (100, 5)])
    # A warm handover with a trio conversation: the client agreed that GTB reads the earlier
    # trajectory and SaRA's contact notes.
    demo.propose_handover_to_gtb(
        t,
        c1,
        5,
        "Stabiel, klaar voor een regulier traject. Graag een trio-gesprek in de overdracht.",
        share=(DataCategory.HISTORY, DataCategory.NOTES),
    )

    t = demo.sara_trajectory(c2, "zorg.cgg", 5, 0, every=5)  # intake phase: just started
    demo.ladder(t, c2, [(5, 2)])

    t = demo.sara_trajectory(c2, "zorg.pz", 260, 5, every=10)
    demo.phase(t, c2, 60, Phase.FOLLOW_ALONG)
    demo.outcome(t, c2, 60, OutcomeKind.PAID_WORK, economy=Economy.SOCIAL, note="Maatwerkbedrijf, 19u/week")
    demo.ladder(t, c2, [(260, 2), (150, 4), (60, 5)])

    t = demo.sara_trajectory(c2, "zorg.ibw", 140, 3, every=9)
    demo.outcome(t, c2, 50, OutcomeKind.VOLUNTEERING, note="Kringloopwinkel, twee voormiddagen")
    demo.ladder(t, c2, [(140, 3), (50, 4)])
    demo.goal(t, c2, 50, "Evaluatie vrijwilligerswerk na een maand", 30, done_ago=18)

    t = demo.sara_trajectory(c2, "zorg.pz", 90, 30, every=8)
    demo.pause(t, c2, 25, "Crisis thuis; de cliënt vraagt even pauze.")

    t = demo.sara_trajectory(c2, "zorg.cgg", 170, 52, every=12)  # not seen for 7 weeks
    demo.goal(t, c2, 100, "Arbeidsattitudes oefenen in een atelier", 30)  # overdue

    t = demo.sara_trajectory(c2, "zorg.pz", 210, 11, every=10)
    demo.outcome(t, c2, 80, OutcomeKind.WORK_CARE, note="Arbeidszorg in een atelier, 3 dagen")
    demo.ladder(t, c2, [(210, 2), (80, 4)])

    t = demo.sara_trajectory(c2, "zorg.ibw", 45, 2, every=6)
    demo.goal(t, c2, 30, "Kennismaking met de GOB-jobcoach", 28)


def gtb(demo: Steps) -> None:
    g = "coach.gtb"
    # Handed over from the arbeidscoach to GTB two months ago.
    t = demo.sara_trajectory("coach.sara1", "zorg.pz", 330, 70, every=12)
    demo.ladder(t, "coach.sara1", [(330, 2), (120, 4)])
    # The GTB coach builds on the arbeidscoach's work: the client agreed to pass on the history and
    # the notes.
    handover = demo.propose_handover_to_gtb(
        t,
        "coach.sara1",
        68,
        "Klaar voor een regulier traject; de cliënt kent GTB al van een infosessie.",
        share=(DataCategory.HISTORY, DataCategory.NOTES),
    )
    with demo.clock.at(63):
        trajectory_actions.accept_handover(demo.actors[g], fresh(handover))
    demo.contacts(t, g, demo.spaced(60, 4, 10))
    demo.phase(t, g, 40, Phase.SEARCH)

    for referrer, start, last in [("zorg.cgg", 120, 8), ("zorg.ibw", 75, 15)]:
        client = demo.register(referrer, start + 20)
        referral = demo.refer(client, referrer, start + 14, line="gtb")
        t = demo.start(referral, g, start)
        demo.phase(t, g, start - 20, Phase.ASSESSMENT)
        demo.contacts(t, g, demo.spaced(start, last, 12))
    demo.outcome(t, g, 20, OutcomeKind.VDAB_REGISTRATION)

    # Sent to the arbeidscoach line first; the screener redirected it to GTB.
    client = demo.register("zorg.pz", 100)
    referral = demo.refer(client, "zorg.pz", 95)
    with demo.clock.at(90):
        referral_actions.redirect_referral(
            demo.actors["screener.sara"],
            fresh(referral),
            line=demo.gtb_line,
            note="De kwetsbaarheid staat niet op de voorgrond: regulier traject mogelijk.",
            evidence=SIGNED,
        )
    t = demo.start(referral, g, 80)
    demo.contacts(t, g, demo.spaced(80, 6, 14))
    demo.phase(t, g, 50, Phase.SEARCH)


def closed(demo: Steps) -> None:
    c1, c2, g = "coach.sara1", "coach.sara2", "coach.gtb"
    # Goal reached: paid work in the regular economy, verified after three months.
    t = demo.sara_trajectory(c1, "zorg.pz", 700, 300, every=14)
    demo.phase(t, c1, 420, Phase.SEARCH)
    demo.ladder(t, c1, [(700, 2), (500, 4), (400, 6)])
    demo.outcome(
        t, c1, 400, OutcomeKind.PAID_WORK, economy=Economy.NEC, verified_ago=305, note="Bediende, 4/5"
    )
    demo.close(t, c1, 300, CloseReason.GOAL_REACHED)

    t = demo.sara_trajectory(c2, "zorg.cgg", 500, 380, every=10)
    demo.outcome(t, c2, 380, OutcomeKind.NO_FURTHER_STEPS)
    demo.close(t, c2, 380, CloseReason.CLIENT_CHOICE, "Wil zich eerst op de gezinssituatie richten.")

    t = demo.sara_trajectory(c1, "zorg.pz", 420, 200, every=12)
    demo.outcome(t, c1, 200, OutcomeKind.RELAPSE_TO_CARE)
    demo.close(t, c1, 195, CloseReason.CARE_FIRST, "Zorgpartner blijft betrokken; herinstap mogelijk.")

    # Lost contact: only after three documented outreach attempts in 60 days.
    t = demo.sara_trajectory(c2, "zorg.ibw", 360, 150, every=15)
    demo.outreach(t, c2, [120, 100, 80])
    demo.outcome(t, c2, 75, OutcomeKind.DROP_OUT)
    demo.close(t, c2, 75, CloseReason.LOST_CONTACT)

    client = demo.register("zorg.cgg", 640)
    referral = demo.refer(client, "zorg.cgg", 630, line="gtb")
    t = demo.start(referral, g, 600)
    demo.contacts(t, g, demo.spaced(600, 250, 15))
    demo.outcome(t, g, 420, OutcomeKind.TRAINING, verified_ago=380, note="Opleiding logistiek afgerond")
    demo.outcome(t, g, 300, OutcomeKind.PAID_WORK, economy=Economy.NEC, verified_ago=200)
    demo.close(t, g, 250, CloseReason.GOAL_REACHED)

    # Closed for care first, and now back: a new referral on the arbeidscoach line (re-entry).
    t = demo.sara_trajectory(c1, "zorg.pz", 560, 330, every=14)
    demo.close(t, c1, 320, CloseReason.CARE_FIRST, "Opname.")
    demo.refer(t.client, "zorg.pz", 6, question="Herinstap na opname: wil opnieuw stappen naar werk zetten.")


def open_referrals(demo: Steps) -> None:
    def new(referrer: str, ago: int, **kwargs: object) -> Referral:
        client = demo.register(referrer, ago + demo.rng.randint(1, 20))
        return demo.refer(client, referrer, ago, **kwargs)  # type: ignore[arg-type]

    new("zorg.pz", 2, urgency="urgent")
    new("zorg.cgg", 5)
    new("zorg.ibw", 3, line="gtb")
    new("zorg.pz", 1, channel="self", indications=["low_threshold"])

    for referrer, ago, line, expected in [
        ("zorg.pz", 40, "sara", 20),
        ("zorg.ibw", 25, "sara", 45),
        ("zorg.cgg", 15, "gtb", 14),
    ]:
        referral = new(referrer, ago + 4, line=line)
        with demo.clock.at(ago):
            referral_actions.waitlist_referral(
                demo.actors[demo.screener_of(referral)],
                fresh(referral),
                expected_start=demo.today + datetime.timedelta(days=expected),
                note="Volzet; start verwacht zodra er een plaats vrijkomt.",
            )

    for referrer, ago, line, codes in [
        ("zorg.pz", 10, "sara", ["unclear_lead", "psychiatric_expertise"]),
        ("zorg.cgg", 20, "gtb", ["broad_support", "intensive_work"]),
    ]:
        referral = new(referrer, ago + 3, line=line, indications=codes)
        with demo.clock.at(ago):
            referral_actions.send_to_case_team(
                demo.actors[demo.screener_of(referral)],
                fresh(referral),
                note="Onduidelijk wie trekt: bespreken op het ZoWeZo-team.",
            )

    demo.assign(new("zorg.pz", 6), "coach.sara2", 3)
    demo.assign(new("zorg.ibw", 4, line="gtb"), "coach.gtb", 1)

    for referrer, ago, reason, note in [
        (
            "zorg.cgg",
            30,
            DeclineReason.NO_WORK_QUESTION,
            "Nog geen werkvraag; opnieuw bekijken na de zomer.",
        ),
        ("zorg.pz", 90, DeclineReason.NOT_TARGET_GROUP, "Geen psychische kwetsbaarheid op de voorgrond."),
    ]:
        referral = new(referrer, ago + 5)
        with demo.clock.at(ago):
            referral_actions.decline_referral(
                demo.actors["screener.sara"], fresh(referral), reason=reason, note=note
            )
