"""The rows of one generated trajectory: its partners, a handover (accepted or still proposed),
status and phase, contacts (with first/last contact as `record_contact()` keeps them, and the
outreach attempts before closing for lost contact), ladder positions, plan goals and outcomes."""

from __future__ import annotations

from typing import Any

from werkbrug.clients.models import ConsentPurpose, InvolvementReason
from werkbrug.demo.generator.config import (
    CLOSE_REASONS,
    CONTACT_KINDS,
    GOALS,
    NOTES,
    OPEN_CONTACT_DENSITY,
    PHASES,
)
from werkbrug.demo.generator.network import Org
from werkbrug.demo.generator.planner import Episode
from werkbrug.demo.generator.rows import Rows
from werkbrug.network.models import OrganisationKind
from werkbrug.trajectories.models import (
    OUTREACH_ATTEMPTS_REQUIRED,
    PAID_WORK_VERIFY_AFTER_DAYS,
    Contact,
    Handover,
    LadderPosition,
    Outcome,
    PlanGoal,
    Trajectory,
    TrajectoryEvent,
    TrajectoryPartner,
)


class TrajectoryRows(Rows):
    """The rows of a trajectory started from an accepted referral (used by `clients.RowFactory`)."""

    def trajectory(
        self,
        client_id: int,
        referral_id: int,
        ep: Episode,
        ref_org: Org,
        ref_user: int,
        lead: Org,
        coach: int,
        involve: Any,
        consent: Any,
    ) -> tuple[Org, int]:
        rng, rows, ids = self.rng, self.rows, self.ids
        today = self.horizon
        tid = ids.take(Trajectory)
        start, end = ep.start, ep.end
        last_day = end if end is not None else today
        involve(lead.pk, InvolvementReason.LEAD, start)
        self.audit(
            start, coach, lead.pk, client_id, "create", "trajectory", tid, "trajectory started from referral"
        )
        t_events: list[tuple[Any, ...]] = []

        def event(kind: str, day: int, by: int, org: int, note: str = "") -> None:
            t_events.append((ids.take(TrajectoryEvent), tid, kind, self.dt(day), by, org, note))

        event("started", start, coach, lead.pk)
        care_partner = None
        if ref_org.pk != lead.pk:
            role = "care_background" if ref_org.kind == OrganisationKind.CARE else "contributing"
            rows[TrajectoryPartner].append(
                (ids.take(TrajectoryPartner), tid, ref_org.pk, role, ref_user, self.days[start])
            )
            involve(ref_org.pk, InvolvementReason.PARTNER, start)
            if ref_org.kind == OrganisationKind.CARE:
                care_partner = (ref_org.pk, ref_user)

        # Handover: accepted (lead changes) or, for open trajectories, proposed and waiting.
        type_id = lead.type_id
        segments = [(start, last_day, lead, coach)]
        handed_over = False
        r = rng.random()
        if r < 0.04 and last_day - start > 30:
            target, new_coach = self.handover_target(lead)
            proposed = start + rng.randint(15, last_day - start - 10)
            decided = min(last_day, proposed + rng.randint(1, 10))
            consent(ConsentPurpose.COLLABORATION, target.pk, proposed, coach, lead.pk)
            involve(target.pk, InvolvementReason.HANDOVER, proposed)
            involve(target.pk, InvolvementReason.LEAD, decided)
            rows[TrajectoryPartner].append(
                (ids.take(TrajectoryPartner), tid, lead.pk, "former_lead", None, self.days[decided])
            )
            rows[Handover].append(
                (ids.take(Handover), tid, lead.pk, target.pk, target.type_id, "Warme overdracht.", type_id,
                 "accepted", coach, self.dt(proposed), new_coach, self.dt(decided), "")
            )  # fmt: skip
            event("handover_proposed", proposed, coach, lead.pk)
            event("handover_accepted", decided, new_coach, target.pk)
            segments = [(start, decided, lead, coach), (decided, last_day, target, new_coach)]
            lead, coach, type_id = target, new_coach, target.type_id
            handed_over = True
        elif r < 0.045 and end is None and today - start > 20:
            target, _ = self.handover_target(lead)
            proposed = today - rng.randint(0, 14)
            consent(ConsentPurpose.COLLABORATION, target.pk, proposed, coach, lead.pk)
            involve(target.pk, InvolvementReason.HANDOVER, proposed)
            rows[Handover].append(
                (ids.take(Handover), tid, lead.pk, target.pk, target.type_id,
                 "Klaar voor een regulier traject.", type_id, "proposed", coach, self.dt(proposed), None, None, "")
            )  # fmt: skip
            event("handover_proposed", proposed, coach, lead.pk)

        # Status.
        status, close_reason, pause_reason, closed_on = "active", "", "", None
        if end is None:
            if rng.random() < 0.1:
                status, pause_reason = "paused", "Pauze op vraag van de cliënt."
                event("paused", rng.randint(start, today), coach, lead.pk, pause_reason)
            age = today - start
            phase = PHASES[sum(age > limit for limit in (30, 90, 180, 300, 500))]
        else:
            status, closed_on = "closed", end
            close_reason = CLOSE_REASONS[int(rng.random() * len(CLOSE_REASONS))]
            phase = rng.choice(PHASES[1:])
        if phase != "intake":
            event("phase", min(last_day, start + rng.randint(7, 60)), coach, lead.pk, f"intake → {phase}")

        # Contacts: about `contact_rate` per active day; some open ones not seen for 6+ weeks.
        first = last = None
        contact_rows = rows[Contact]
        rnd = rng.random
        for seg_start, seg_end, seg_lead, seg_coach in segments:
            stop = seg_end
            if end is None and seg_end == today and rnd() < 0.08:
                stop = max(seg_start, today - rng.randint(43, 120))  # not seen for a while
            span = stop - seg_start
            density = self.contact_rate * (OPEN_CONTACT_DENSITY if end is None else 1.0)
            n = int(span * density * (0.5 + rnd()) + rnd())
            for _ in range(n):
                day = seg_start + int(rnd() * (span + 1))
                kind = CONTACT_KINDS[int(rnd() * len(CONTACT_KINDS))]
                care_only = care_partner is not None and rnd() < 0.04 and kind != "outreach_attempt"
                informal = not care_only and kind in ("phone", "email") and rnd() < 0.4
                if care_only and care_partner is not None:
                    by, org = care_partner[1], care_partner[0]
                else:
                    by, org = seg_coach, seg_lead.pk
                contact_rows.append(
                    (
                        ids.take(Contact),
                        tid,
                        self.days[day],
                        kind,
                        None if informal else (30, 45, 60, 60, 90)[int(rnd() * 5)],
                        NOTES[int(rnd() * len(NOTES))],
                        informal,
                        care_only,
                        by,
                        org,
                        self.days[day] + self.times[int(rnd() * len(self.times))],
                    )
                )
                if kind != "outreach_attempt" and not care_only:
                    if first is None or day < first:
                        first = day
                    if last is None or day > last:
                        last = day
        if close_reason == "lost_contact" and end is not None:
            # Never closed for missed appointments alone: three documented attempts first.
            for i in range(OUTREACH_ATTEMPTS_REQUIRED):
                day = max(start, end - 10 - 15 * i)
                contact_rows.append(
                    (ids.take(Contact), tid, self.days[day], "outreach_attempt", None, "Gebeld, geen antwoord.",
                     False, False, coach, lead.pk, self.dt(day))
                )  # fmt: skip
        if end is not None:
            note = "Toelichting bij de afsluiting." if close_reason == "other" else ""
            event("closed", end, coach, lead.pk, close_reason)
        else:
            note = ""
        rows[Trajectory].append(
            (
                tid,
                client_id,
                referral_id,
                type_id,
                lead.pk,
                coach,
                phase,
                status,
                self.days[start],
                self.days[closed_on] if closed_on is not None else None,
                close_reason,
                note,
                pause_reason,
                self.days[last] if last is not None else None,
                self.days[first] if first is not None else None,
                handed_over,
            )
        )
        rows[TrajectoryEvent].extend(t_events)
        self.extras(tid, start, end, close_reason, lead, coach)
        return lead, coach

    def handover_target(self, lead: Org) -> tuple[Org, int]:
        for _ in range(10):
            target = self.rng.choice(self.handover_targets)
            if target.pk != lead.pk:
                break
        else:
            target = next(o for o in self.work if o.pk != lead.pk)
        return target, self.rng.choice(target.coaches)

    def extras(self, tid: int, start: int, end: int | None, close_reason: str, lead: Org, coach: int) -> None:
        """Ladder positions, plan goals and outcomes."""
        rng, rows, ids, today = self.rng, self.rows, self.ids, self.horizon
        last_day = end if end is not None else today
        span = last_day - start
        rung = rng.choice([1, 2, 2, 3, 3, 4])
        for i in range(rng.choice([1, 1, 2, 2, 3])):
            day = start + (span * i) // 3
            rows[LadderPosition].append((ids.take(LadderPosition), tid, self.days[day], rung, coach))
            rung = min(6, rung + rng.choice([0, 1, 1]))
        for _ in range(rng.choice([0, 1, 2, 2, 3, 4]) if end is None else rng.choice([0, 1, 2])):
            created = start + int(rng.random() * (span + 1))
            due = created + rng.randint(14, 90)
            done = None
            if due <= today and rng.random() < (0.5 if end is None else 0.9):
                done = min(last_day, created + rng.randint(3, due - created + 20))
            rows[PlanGoal].append(
                (ids.take(PlanGoal), tid, rng.choice(GOALS), self.days[due], self.days[done] if done else None, coach, self.dt(created))
            )  # fmt: skip
        outcomes: list[tuple[str, int]] = []
        if end is not None:
            kind = {
                "goal_reached": rng.choice(
                    ["paid_work"] * 6 + ["training"] * 2 + ["volunteering", "work_care"]
                ),
                "client_choice": "no_further_steps",
                "care_first": "relapse_to_care",
                "lost_contact": "drop_out",
                "handed_on": "onward_referral",
            }.get(close_reason)
            if kind:
                outcomes.append((kind, end))
        elif rng.random() < 0.2:
            outcomes.append(
                (
                    rng.choice(["vdab_registration", "training", "volunteering", "paid_work"]),
                    start + span // 2,
                )
            )
        if rng.random() < 0.25 and span > 20:
            outcomes.append(("vdab_registration", start + rng.randint(0, span)))
        for kind, day in outcomes:
            economy, certainty, verified_on, verify_due = "", "estimated", None, None
            if kind == "paid_work":
                economy = "nec" if rng.random() < 0.67 else "social"
                verify_due = day + PAID_WORK_VERIFY_AFTER_DAYS
                if verify_due <= today and rng.random() < 0.75:
                    certainty, verified_on = "verified", min(today, verify_due + rng.randint(0, 30))
            rows[Outcome].append(
                (
                    ids.take(Outcome),
                    tid,
                    kind,
                    self.days[day],
                    economy,
                    certainty,
                    self.days[verified_on] if verified_on is not None else None,
                    self.days[verify_due] if verify_due is not None else None,
                    "",
                    coach,
                    lead.pk,
                )
            )
