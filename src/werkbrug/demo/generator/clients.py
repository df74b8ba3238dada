"""The rows of one generated client: the client registered (involvement, `record` consent), then
every planned episode as a referral with its triage events — declined, still open, or accepted and
continued as a trajectory (`trajectories`) — with the involvements and consents the actions write."""

from __future__ import annotations

import datetime
import functools
import json
from typing import Any

from werkbrug.clients.linkage import keyed, name_key
from werkbrug.clients.models import (
    Client,
    Consent,
    ConsentPurpose,
    GgzContact,
    Involvement,
    InvolvementReason,
)
from werkbrug.demo.generator.config import (
    ALL_CATEGORIES,
    FIRST_NAMES,
    LAST_NAMES,
    LINE_INDICATIONS,
    QUESTIONS,
    SHARE_CATEGORIES,
    T,
)
from werkbrug.demo.generator.network import Org
from werkbrug.demo.generator.planner import Episode
from werkbrug.demo.generator.trajectories import TrajectoryRows
from werkbrug.network.indications import published_version
from werkbrug.network.models import OrganisationKind
from werkbrug.referrals.models import Referral, ReferralEvent


class RowFactory(TrajectoryRows):
    """Turns planned clients into rows, keeping the invariants of the actions."""

    @functools.cached_property
    def draaiboek_id(self) -> int | None:
        """The published draaiboek version the generated referrals were triaged under."""
        version = published_version()
        return version.pk if version is not None else None

    def client(self, registration: int, episodes: list[Episode]) -> None:
        rng, rows, ids = self.rng, self.rows, self.ids
        reg_org = self.registering_org()
        reg_user = rng.choice(reg_org.client_users)
        client_id = ids.take(Client)
        gender = "F" if rng.random() < 0.55 else ("M" if rng.random() < 0.97 else "X")
        born = datetime.date(rng.randint(1960, 2006), rng.randint(1, 12), rng.randint(1, 28))
        birth = born.isoformat()
        # Drawn in the order the row lists them, so that a seed gives the same network as before.
        first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        # No INSZ: the person is the name key (clients.linkage), so namesakes born the same day are one.
        names = keyed(name_key(first_name, last_name, born))
        benefit = rng.choice(["incapacity", "incapacity", "unemployment", "living_wage", "unknown"])
        ggz = rng.random() < 0.95
        registered_at = self.dt(registration)
        rows[Client].append(
            (
                client_id,
                first_name,
                last_name,
                birth,
                gender,
                "",
                reg_org.subregion_id,
                "",
                "",
                "",
                benefit,
                ggz,
                "",
                reg_org.pk,
                registered_at,
                None,  # erased_at
                names,  # name_key
                names,  # person_key
                self.person_numbers.setdefault(names, client_id),  # the person's lowest record id
            )
        )
        if ggz:  # in contact since registration, as clients.actions.set_ggz_contact records it
            rows[GgzContact].append(
                (ids.take(GgzContact), client_id, self.days[registration], None, registered_at)
            )
        involved: set[tuple[int, str]] = set()
        consented: set[int] = set()  # organisations with an active collaboration consent

        def involve(org: int, reason: str, day: int) -> None:
            if (org, reason) not in involved:
                involved.add((org, reason))
                rows[Involvement].append((ids.take(Involvement), client_id, org, reason, self.dt(day)))

        def consent(purpose: str, recipient: int, day: int, user: int, org: int) -> None:
            if purpose == ConsentPurpose.COLLABORATION:
                if recipient in consented:
                    return
                consented.add(recipient)
            evidence = "signed_form" if rng.random() < 0.85 else "verbal"
            rows[Consent].append(
                (
                    ids.take(Consent),
                    client_id,
                    purpose,
                    recipient,
                    ALL_CATEGORIES if purpose == ConsentPurpose.RECORD else SHARE_CATEGORIES,
                    self.days[day],
                    None,
                    evidence,
                    "",
                    "",  # evidence_file: no uploaded form
                    user,
                    org,
                    self.dt(day),
                    None,
                    None,
                )
            )

        involve(reg_org.pk, InvolvementReason.REGISTERED, registration)
        consent(ConsentPurpose.RECORD, reg_org.pk, registration, reg_user, reg_org.pk)
        self.audit(
            registration, reg_user, reg_org.pk, client_id, "create", "client", client_id, "client registered"
        )

        previous_lead: tuple[Org, int] | None = None
        for episode in episodes:
            # Who refers: the registering organisation, or the last lead onward to another line.
            if previous_lead is not None and rng.random() < 0.3:
                ref_org, ref_user = previous_lead[0], previous_lead[1]
                channel = "work_partner"
            else:
                ref_org, ref_user = reg_org, reg_user
                channel = self.channel(reg_org)
            lead, coach = self.coach()
            previous_lead = (
                self.referral_and_trajectory(
                    client_id, episode, ref_org, ref_user, channel, lead, coach, involve, consent
                )
                or previous_lead
            )

    def channel(self, org: Org) -> str:
        if org.kind == OrganisationKind.WORK:
            return self.rng.choice(["self", "info_session", "ward", "work_partner"])
        if org.org_type == T.GP:
            return "gp"
        if org.kind == OrganisationKind.INSURER:
            return "insurer"
        if org.org_type == T.OCMW:
            return "other"
        return "care_professional" if self.rng.random() < 0.9 else "ward"

    def referral_and_trajectory(
        self,
        client_id: int,
        ep: Episode,
        ref_org: Org,
        ref_user: int,
        channel: str,
        lead: Org,
        coach: int,
        involve: Any,
        consent: Any,
    ) -> tuple[Org, int] | None:
        rng, rows, ids = self.rng, self.rows, self.ids
        referral_id = ids.take(Referral)
        day = ep.referral_day
        events: list[tuple[Any, ...]] = []

        def event(
            kind: str, at: int, by: int, org: int, from_line: int | None, to_line: int, note: str = ""
        ) -> None:
            events.append(
                (ids.take(ReferralEvent), referral_id, kind, self.dt(at), by, org, from_line, to_line, note)
            )

        def on_line(kind: str, at: int, by: int) -> None:
            """A triage step on the line the referral ends up on."""
            event(kind, at, by, line_org.pk, None, line_org.line_id)

        # Submitted (perhaps first on another line, then redirected by that line's screener).
        line_org = lead
        first_org = line_org
        redirect_day = None
        if rng.random() < 0.05 and len(self.work) > 1:
            first_org = rng.choice(self.work)
            if first_org.pk == line_org.pk:
                first_org = line_org
            else:
                redirect_day = day + rng.randint(1, 5)
        consent(ConsentPurpose.COLLABORATION, first_org.pk, day, ref_user, ref_org.pk)
        involve(ref_org.pk, InvolvementReason.REFERRER, day)
        involve(first_org.pk, InvolvementReason.LINE, day)
        event("submitted", day, ref_user, ref_org.pk, None, first_org.line_id)
        self.audit(
            day, ref_user, ref_org.pk, client_id, "create", "referral", referral_id, "referral submitted"
        )
        if ep.kind == "trajectory":
            decision = ep.start
        elif ep.kind == "declined" and ep.end is not None:
            decision = ep.end
        else:
            decision = self.horizon
        if redirect_day is not None:
            redirect_day = min(redirect_day, decision)
            screener = rng.choice(first_org.screeners)
            consent(ConsentPurpose.COLLABORATION, line_org.pk, redirect_day, screener, first_org.pk)
            involve(line_org.pk, InvolvementReason.LINE, redirect_day)
            event("redirected", redirect_day, screener, first_org.pk, first_org.line_id, line_org.line_id)
        screener = rng.choice(line_org.screeners)
        status, decided_at, waiting_since, expected_start, assigned, decline_reason = (
            "submitted", None, None, None, None, ""
        )  # fmt: skip
        if ep.kind == "trajectory":
            triage = min(decision, day + rng.randint(1, 10))
            if rng.random() < 0.3:
                waiting_since = self.dt(triage)
                on_line("waitlisted", triage, screener)
            elif rng.random() < 0.05:
                on_line("to_case_team", triage, screener)
            assign_day = max(triage, decision - rng.randint(0, 3))
            on_line("assigned", assign_day, screener)
            on_line("accepted", decision, coach)
            status, decided_at, assigned = "accepted", self.dt(decision), coach
        elif ep.kind == "declined":
            on_line("declined", decision, screener)
            status, decided_at = "declined", self.dt(decision)
            decline_reason = rng.choice(
                ["not_target_group", "no_work_question", "client_withdrew", "other_service"]
            )
        else:
            triage = min(self.horizon, day + rng.randint(0, 7))
            status = ep.open_status
            if status == "waiting":
                waiting_since = self.dt(triage)
                if rng.random() < 0.5:
                    expected_start = self.days[self.horizon + rng.randint(7, 120)]
                on_line("waitlisted", triage, screener)
            elif status == "case_team":
                on_line("to_case_team", triage, screener)
            elif status == "assigned":
                assigned = coach
                on_line("assigned", triage, screener)
        rows[Referral].append(
            (
                referral_id,
                client_id,
                line_org.line_id,
                ref_org.pk,
                ref_user,
                rng.choice(QUESTIONS),
                json.dumps(LINE_INDICATIONS.get(line_org.org_type, ["intensive_work"])[:2]),
                self.draaiboek_id,
                "urgent" if rng.random() < 0.08 else "normal",
                channel,
                status,
                self.dt(day),
                decided_at,
                waiting_since,
                expected_start,
                assigned,
                decline_reason,
                "" if not decline_reason else "Besproken met de verwijzer.",
            )
        )
        rows[ReferralEvent].extend(events)
        if ep.kind != "trajectory":
            return None
        return self.trajectory(
            client_id, referral_id, ep, ref_org, ref_user, line_org, coach, involve, consent
        )
