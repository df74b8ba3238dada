"""Importing a caseload (clients, trajectories, contacts, outcomes) from an XLSX or CSV file.

Every row goes through the actions the pages use — registering a client with the consent the row
states, referring to the organisation's own line, assigning and accepting (the trajectory
starts), recording contacts and outcomes, closing — so every rule, consent and audit event applies;
nothing here saves a model itself. The whole file is one transaction: it is run row by row (each
action, and each trajectory row, in a savepoint, so one refused row does not hide the next's problems) and rolled back at
the end on a dry run or when any row had a problem. A dry run therefore finds exactly what the real
run would hit.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from werkbrug.clients.actions import register_client
from werkbrug.clients.models import Client
from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditAction
from werkbrug.imports import parsing
from werkbrug.imports.columns import COLUMNS, KINDS
from werkbrug.imports.parsing import FileProblem, Table, Where
from werkbrug.imports.rows import ContactRow, Lookups, OutcomeRow, Problems, Rows, TrajectoryRow, check
from werkbrug.network.models import Role
from werkbrug.referrals import actions as referral_actions
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import Phase, Trajectory

T = TypeVar("T")
R = TypeVar("R", ContactRow, OutcomeRow)

PREVIEW_ROWS = 10

# Which column an action's field is, per step (a DomainError or full_clean() names the field).
CLIENT_FIELDS = {
    "first_name": "voornaam",
    "last_name": "achternaam",
    "birth_date": "geboortedatum",
    "gender": "geslacht",
    "insz": "insz",
    "municipality": "gemeente",
    "subregion": "subregio",
    "address": "adres",
    "phone": "telefoon",
    "email": "email",
    "benefit_status": "uitkering",
    "evidence": "toestemming",
    "evidence_note": "toestemming_getuige",
    "given_on": "toestemming_datum",
}
REFER_FIELDS = {"on": "aanmelddatum", "line": "lijn", "question": "vraag", "channel": "kanaal"}
ACCEPT_FIELDS = {"started_on": "startdatum", "on": "startdatum", "coach": "coach"}
CLOSE_FIELDS = {"on": "einddatum", "reason": "reden_afsluiting", "note": "toelichting_afsluiting"}
CONTACT_FIELDS = {
    "on": "datum",
    "kind": "contactsoort",
    "duration_minutes": "duur_minuten",
    "note": "notitie",
}
OUTCOME_FIELDS = {
    "on": "datum",
    "kind": "resultaat",
    "economy": "economie",
    "certainty": "zekerheid",
    "note": "notitie",
}


@dataclass
class Report:
    """What an import found: rows per kind, the first rows of each, and every problem."""

    counts: dict[str, int]
    preview: dict[str, list[list[str]]]
    problems: list[str] = field(default_factory=list)
    imported: bool = False

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        """Counts only: no personal data (it goes into the audit trail)."""
        return "caseload import: " + ", ".join(f"{self.counts[kind]} {kind}" for kind in KINDS)


class _Rollback(Exception):
    """Undo everything the run wrote (a dry run, or a file with problems)."""


def require_coordinator(actor: Actor) -> None:
    if not actor.sees_clients or not actor.has_role(Role.COORDINATOR) or actor.organisation is None:
        raise DomainError(_("Only a coordinator imports a caseload, for their own organisation."))


def import_caseload(actor: Actor, file: IO[bytes], *, dry_run: bool) -> Report:
    """Check and run the import of `file` (with a `.name`); write it only when not `dry_run` and
    every row passes. A file that cannot be read at all raises DomainError (field "file")."""
    require_coordinator(actor)
    try:
        table = parsing.read(str(getattr(file, "name", "")), file.read())
    except FileProblem as exc:
        raise DomainError(exc.message, field="file") from None
    report = Report(counts={kind: len(table.rows[kind]) for kind in KINDS}, preview=_preview(table))
    problems = Problems()
    rows = check(table, Lookups(actor), problems)
    try:
        _write(actor, rows, problems, report, commit=not dry_run)
        report.imported = True
    except _Rollback:
        pass
    report.problems = problems.messages
    return report


@transaction.atomic
def _write(actor: Actor, rows: Rows, problems: Problems, report: Report, *, commit: bool) -> None:
    _Run(actor, problems).all(rows)
    if problems or not commit:
        raise _Rollback
    audit.record(
        actor, AuditAction.CREATE, None, client_id=None, object_type="import", summary=report.summary()
    )


class _Run:
    """Runs the rows through the actions, in the order the rules need: clients, trajectories,
    contacts and outcomes, then the closings (a closed trajectory takes no contacts, and closing for
    lost contact counts the outreach attempts)."""

    def __init__(self, actor: Actor, problems: Problems) -> None:
        self.actor, self.problems = actor, problems
        self.clients: dict[str, Client] = {}
        self.evidence: dict[str, Any] = {}
        self.trajectories: dict[str, Trajectory] = {}
        self.coach_actors: dict[int, Actor] = {}

    def step(self, where: Where, fields: dict[str, str], default: str, call: Callable[[], T]) -> T | None:
        """One action: a refusal is a problem on the row's column. The action is atomic itself (a
        savepoint inside the import's transaction), so what it wrote before refusing is undone."""
        try:
            return call()
        except DomainError as exc:
            self.problems.add(where, fields.get(exc.field or "", default), exc.message)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, messages in exc.message_dict.items():
                    self.problems.add(where, fields.get(name, default), " ".join(messages))
            else:
                self.problems.add(where, default, " ".join(exc.messages))
        return None

    def all(self, rows: Rows) -> None:
        for row in rows.clients:
            client = self.step(
                row.where,
                CLIENT_FIELDS,
                "dossiernummer",
                lambda row=row: register_client(  # type: ignore[misc]
                    self.actor, Client(**row.fields), row.evidence, given_on=row.given_on
                ),
            )
            if client is not None:
                self.clients[row.ref] = client
                self.evidence[row.ref] = row.evidence
        for trajectory_row in rows.trajectories:
            if trajectory_row.client_ref in self.clients:
                self.start(trajectory_row)
        self.on_trajectories(
            rows.contacts,
            CONTACT_FIELDS,
            lambda c, t: trajectory_actions.record_contact(
                self.actor,
                t,
                on=c.on,
                kind=c.kind,
                duration_minutes=c.duration_minutes,
                note=c.note,
                informal=c.informal,
            ),
        )
        self.on_trajectories(
            rows.outcomes,
            OUTCOME_FIELDS,
            lambda o, t: trajectory_actions.record_outcome(
                self.actor, t, kind=o.kind, on=o.on, economy=o.economy, certainty=o.certainty, note=o.note
            ),
        )
        for trajectory_row in rows.trajectories:
            trajectory = self.trajectories.get(trajectory_row.ref)
            if trajectory is not None and trajectory_row.closed_on is not None:
                self.close(trajectory_row, trajectory, trajectory_row.closed_on)

    def on_trajectories(
        self, rows: list[R], fields: dict[str, str], record: Callable[[R, Trajectory], object]
    ) -> None:
        """Record each contact or outcome row on its trajectory; a row whose trajectory was not
        started here is skipped."""
        for row in rows:
            trajectory = self.trajectories.get(row.trajectory_ref)
            if trajectory is not None:
                self.step(row.where, fields, "traject_ref", functools.partial(record, row, trajectory))

    def coach_actor(self, row: TrajectoryRow) -> Actor:
        """The trajectory's coach accepts the referral assigned to them, as on the page."""
        membership = row.coach
        if membership.pk not in self.coach_actors:
            self.coach_actors[membership.pk] = Actor(user=membership.user, membership=membership)
        return self.coach_actors[membership.pk]

    def start(self, row: TrajectoryRow) -> None:
        client = self.clients[row.client_ref]
        evidence = self.evidence[row.client_ref]

        def refer() -> Any:
            return referral_actions.submit_referral(
                self.actor,
                client,
                line=row.line,
                question=row.question,
                indications=[],
                urgency="normal",
                channel=row.channel,
                evidence=evidence,
                on=row.referred_on,
            )

        def begin() -> Trajectory | None:
            referral = self.step(row.where, REFER_FIELDS, "traject_ref", refer)
            if referral is None:
                raise _RowRefused
            assigned = self.step(
                row.where,
                {"coach": "coach"},
                "coach",
                lambda: referral_actions.assign_referral(self.actor, referral, coach=row.coach.user),
            )
            if assigned is None:
                raise _RowRefused
            trajectory = self.step(
                row.where,
                ACCEPT_FIELDS,
                "startdatum",
                lambda: trajectory_actions.accept_referral(
                    self.coach_actor(row), assigned, trajectory_type=row.type, started_on=row.started_on
                ),
            )
            if trajectory is None:
                raise _RowRefused
            if row.phase != Phase.INTAKE and (
                self.step(
                    row.where,
                    {},
                    "fase",
                    lambda: trajectory_actions.set_phase(self.actor, trajectory, row.phase),
                )
                is None
            ):
                raise _RowRefused
            return trajectory

        try:
            with transaction.atomic():
                trajectory = begin()
        except _RowRefused:
            return
        if trajectory is not None:
            self.trajectories[row.ref] = trajectory

    def close(self, row: TrajectoryRow, trajectory: Trajectory, on: datetime.date) -> None:
        self.step(
            row.where,
            CLOSE_FIELDS,
            "reden_afsluiting",
            lambda: trajectory_actions.close_trajectory(
                self.actor, trajectory, reason=row.close_reason, note=row.close_note, on=on
            ),
        )


class _RowRefused(Exception):
    """A step of a trajectory row was refused: undo the row's earlier steps (its problem is noted)."""


def _preview(table: Table) -> dict[str, list[list[str]]]:
    """The first rows of each kind, as in the file, for the dry run's page."""
    shown: dict[str, list[list[str]]] = {}
    for kind in KINDS:
        names = [c.name for c in COLUMNS[kind]]
        shown[kind] = [
            [str(r.where.row)] + [_cell(r.cells.get(name)) for name in names]
            for r in table.rows[kind][:PREVIEW_ROWS]
        ]
    return shown


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
