"""From raw cells to checked rows: every cell converted (dates, choices, numbers), every reference
resolved (client, trajectory, type, coach, line, sub-region) with the lookups cached up front, and
every problem said in the user's language with its sheet, row and column."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from werkbrug.clients.access import visible_clients
from werkbrug.clients.actions import Evidence
from werkbrug.clients.models import BenefitStatus, EvidenceKind, normalise_insz
from werkbrug.core.actor import Actor
from werkbrug.core.forms import date_in_range, date_range_message
from werkbrug.imports.columns import (
    CHOICE,
    CLIENTS,
    CONTACTS,
    DATE,
    KINDS,
    NO,
    NUMBER,
    OUTCOMES,
    TRAJECTORIES,
    YES,
    YES_NO,
    choice_code,
    column,
    normalise,
)
from werkbrug.imports.parsing import RawRow, Table, Where
from werkbrug.network.models import Membership, ReferralLine, Role, SubRegion, TrajectoryType
from werkbrug.referrals.models import Channel
from werkbrug.trajectories.models import Certainty, Phase

DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d")


class Problems:
    """Every problem found; listed by sheet and row."""

    def __init__(self) -> None:
        self._found: list[tuple[int, int, int, str]] = []

    def add(self, where: Where, column_name: str, message: str) -> None:
        order = KINDS.index(where.kind) if where.kind in KINDS else -1
        self._found.append((order, where.row, len(self._found), where.describe(column_name, message)))

    @property
    def messages(self) -> list[str]:
        return [message for *_key, message in sorted(self._found)]

    def __len__(self) -> int:
        return len(self._found)

    def __bool__(self) -> bool:
        return bool(self._found)


@dataclass
class ClientRow:
    where: Where
    ref: str
    fields: dict[str, Any]
    evidence: Evidence
    given_on: datetime.date | None


@dataclass
class TrajectoryRow:
    where: Where
    ref: str
    client_ref: str
    type: TrajectoryType
    coach: Membership
    started_on: datetime.date
    referred_on: datetime.date
    line: ReferralLine
    channel: str
    question: str
    phase: str
    closed_on: datetime.date | None
    close_reason: str
    close_note: str


@dataclass
class ContactRow:
    where: Where
    trajectory_ref: str
    on: datetime.date
    kind: str
    duration_minutes: int | None
    note: str
    informal: bool


@dataclass
class OutcomeRow:
    where: Where
    trajectory_ref: str
    on: datetime.date
    kind: str
    economy: str
    certainty: str
    note: str


@dataclass
class Rows:
    clients: list[ClientRow] = field(default_factory=list)
    trajectories: list[TrajectoryRow] = field(default_factory=list)
    contacts: list[ContactRow] = field(default_factory=list)
    outcomes: list[OutcomeRow] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value).strip()


def _date(value: Any) -> datetime.date:
    """A date cell (Excel) or text in dd-mm-jjjj, dd/mm/jjjj or jjjj-mm-dd; ValueError otherwise."""
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        text = _text(value).split(" ")[0]
        for pattern in DATE_FORMATS:
            try:
                day = datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a day, no time
                break
            except ValueError:
                continue
        else:
            raise ValueError(_("not a valid date (use dd-mm-jjjj or jjjj-mm-dd)"))
    if not date_in_range(day):
        raise ValueError(date_range_message())
    return day


class _Reader:
    """Reads the cells of one row; a cell that cannot be read is a problem, and None is returned."""

    def __init__(self, row: RawRow, kind: str, problems: Problems) -> None:
        self.row, self.kind, self.problems = row, kind, problems
        self.ok = True

    def fail(self, name: str, message: str) -> None:
        self.problems.add(self.row.where, name, message)
        self.ok = False

    def get(self, name: str) -> Any:
        spec = column(self.kind, name)
        raw = self.row.cells.get(name)
        text = _text(raw)
        if not text:
            if spec.required:
                self.fail(name, _("required"))
            return None
        try:
            if spec.kind == DATE:
                return _date(raw)
            if spec.kind == CHOICE and spec.choices is not None:
                code = choice_code(spec.choices, text)
                if code is None:
                    raise ValueError(_("“%(value)s” is not one of the allowed values") % {"value": text})
                return code
            if spec.kind == NUMBER:
                number = int(float(text.replace(",", ".")))
                if not 1 <= number <= 24 * 60:
                    raise ValueError(_("enter a number from 1 to 1440"))
                return number
            if spec.kind == YES_NO:
                word = normalise(text)
                if word in YES or word in NO:
                    return word in YES
                raise ValueError(_("enter ja or nee"))
        except ValueError as exc:
            message = str(exc) if spec.kind != NUMBER or "1440" in str(exc) else _("not a number")
            self.fail(name, message)
            return None
        if len(text) > spec.max_length:
            self.fail(name, _("too long (at most %(n)s characters)") % {"n": spec.max_length})
            return None
        return text


class Lookups:
    """The reference data the rows name, read once: no query per row."""

    def __init__(self, actor: Actor) -> None:
        organisation = actor.org
        self.types = {normalise(t.code): t for t in TrajectoryType.objects.all()}
        self.types.update({normalise(t.name): t for t in TrajectoryType.objects.all()})
        self.coaches: dict[str, Membership] = {}
        for m in Membership.objects.filter(
            organisation=organisation, role=Role.COACH, is_active=True
        ).select_related("user", "organisation"):
            self.coaches[normalise(m.user.username)] = m
            if m.user.email:
                self.coaches[normalise(m.user.email)] = m
        self.subregions = {normalise(s.name): s for s in SubRegion.objects.all()}
        self.lines = list(ReferralLine.objects.filter(organisation=organisation, is_active=True))
        self.actor = actor

    def known_insz(self, numbers: list[str]) -> set[str]:
        """Of these INSZ numbers, those of clients the actor already sees (never beyond: a refusal
        must not reveal another organisation's client)."""
        return set(visible_clients(self.actor).filter(insz__in=numbers).values_list("insz", flat=True))


def check(table: Table, lookups: Lookups, problems: Problems) -> Rows:
    """Every row converted and every reference resolved; rows with a problem are left out."""
    rows = Rows()
    check_references(table, problems)
    _clients(table.rows[CLIENTS], lookups, problems, rows)
    _trajectories(table.rows[TRAJECTORIES], lookups, problems, rows)
    _contacts(table.rows[CONTACTS], problems, rows)
    _outcomes(table.rows[OUTCOMES], problems, rows)
    return rows


def _clients(raw_rows: list[RawRow], lookups: Lookups, problems: Problems, rows: Rows) -> None:
    seen: set[str] = set()
    numbers: dict[str, Where] = {}
    for raw in raw_rows:
        cells = _Reader(raw, CLIENTS, problems)
        ref = cells.get("dossiernummer")
        if ref is not None and ref in seen:
            cells.fail("dossiernummer", _("this dossiernummer occurs twice in the file"))
        seen.add(ref or "")
        fields = {
            "first_name": cells.get("voornaam"),
            "last_name": cells.get("achternaam"),
            "birth_date": cells.get("geboortedatum"),
            "gender": cells.get("geslacht"),
            "insz": normalise_insz(cells.get("insz") or ""),
            "municipality": cells.get("gemeente") or "",
            "address": cells.get("adres") or "",
            "phone": cells.get("telefoon") or "",
            "email": cells.get("email") or "",
            "benefit_status": cells.get("uitkering") or BenefitStatus.UNKNOWN,
            "ggz_contact": bool(cells.get("ggz_contact")),
            "subregion": None,
        }
        region = cells.get("subregio")
        if region:
            fields["subregion"] = lookups.subregions.get(normalise(region))
            if fields["subregion"] is None:
                cells.fail("subregio", _("no sub-region with this name"))
        evidence = cells.get("toestemming")
        note = cells.get("toestemming_getuige") or ""
        if evidence == EvidenceKind.VERBAL_WITNESS and not note:
            cells.fail("toestemming_getuige", _("name the witness of the verbal consent"))
        given_on = cells.get("toestemming_datum")
        if fields["insz"]:
            if fields["insz"] in numbers:
                cells.fail("insz", _("this INSZ occurs twice in the file"))
            numbers[fields["insz"]] = raw.where
        if cells.ok and ref and evidence:
            rows.clients.append(ClientRow(raw.where, ref, fields, Evidence(evidence, note), given_on))
    known = lookups.known_insz(list(numbers))
    for number in sorted(known):
        problems.add(numbers[number], "insz", _("a client with this INSZ is already in your files"))
    rows.clients = [r for r in rows.clients if r.fields["insz"] not in known]


def _line(cells: _Reader, lookups: Lookups, name: str | None) -> ReferralLine | None:
    if name:
        found = next((ln for ln in lookups.lines if normalise(ln.name) == normalise(name)), None)
        if found is None:
            cells.fail("lijn", _("no active referral line of your organisation with this name"))
        return found
    if len(lookups.lines) == 1:
        return lookups.lines[0]
    if not lookups.lines:
        cells.fail("lijn", _("your organisation has no active referral line to start trajectories on"))
    else:
        cells.fail("lijn", _("your organisation has several referral lines: name one"))
    return None


def _trajectories(raw_rows: list[RawRow], lookups: Lookups, problems: Problems, rows: Rows) -> None:
    clients = {c.ref for c in rows.clients}
    seen: set[str] = set()
    for raw in raw_rows:
        cells = _Reader(raw, TRAJECTORIES, problems)
        ref = cells.get("traject_ref")
        if ref is not None and ref in seen:
            cells.fail("traject_ref", _("this traject_ref occurs twice in the file"))
        seen.add(ref or "")
        client_ref = cells.get("dossiernummer")
        type_name = cells.get("trajecttype")
        kind = lookups.types.get(normalise(type_name)) if type_name else None
        if type_name and kind is None:
            cells.fail("trajecttype", _("no trajectory type with this code or name"))
        coach_name = cells.get("coach")
        coach = lookups.coaches.get(normalise(coach_name)) if coach_name else None
        if coach_name and coach is None:
            cells.fail("coach", _("no active coach of your organisation with this user name or e-mail"))
        started = cells.get("startdatum")
        referred = cells.get("aanmelddatum") or started
        if started and referred and referred > started:
            cells.fail("aanmelddatum", _("lies after the start date"))
        line = _line(cells, lookups, cells.get("lijn"))
        closed_on, reason = cells.get("einddatum"), cells.get("reden_afsluiting")
        if closed_on and not reason:
            cells.fail("reden_afsluiting", _("required with an end date"))
        if reason and not closed_on:
            cells.fail("einddatum", _("required with a reason for closing"))
        channel = cells.get("kanaal") or Channel.OTHER
        question = cells.get("vraag") or _("Taken over from our previous system (import).")
        phase = cells.get("fase") or Phase.INTAKE
        note = cells.get("toelichting_afsluiting") or ""
        if not cells.ok or not (ref and client_ref and kind and coach and started and referred and line):
            continue
        if client_ref not in clients:
            # A client row with problems already has its own message.
            continue
        rows.trajectories.append(
            TrajectoryRow(
                raw.where, ref, client_ref, kind, coach, started, referred, line, channel, question,
                phase, closed_on, reason or "", note,
            )
        )  # fmt: skip


def _trajectory_refs(rows: Rows) -> dict[str, TrajectoryRow]:
    return {t.ref: t for t in rows.trajectories}


def _contacts(raw_rows: list[RawRow], problems: Problems, rows: Rows) -> None:
    trajectories = _trajectory_refs(rows)
    for raw in raw_rows:
        cells = _Reader(raw, CONTACTS, problems)
        ref, on = cells.get("traject_ref"), cells.get("datum")
        kind, minutes = cells.get("contactsoort"), cells.get("duur_minuten")
        note, informal = cells.get("notitie") or "", bool(cells.get("informeel"))
        if cells.ok and ref and on and kind and _within(cells, trajectories.get(ref), on):
            rows.contacts.append(ContactRow(raw.where, ref, on, kind, minutes, note, informal))


def _outcomes(raw_rows: list[RawRow], problems: Problems, rows: Rows) -> None:
    trajectories = _trajectory_refs(rows)
    for raw in raw_rows:
        cells = _Reader(raw, OUTCOMES, problems)
        ref, on, kind = cells.get("traject_ref"), cells.get("datum"), cells.get("resultaat")
        economy = cells.get("economie") or ""
        certainty = cells.get("zekerheid") or Certainty.ESTIMATED
        note = cells.get("notitie") or ""
        if cells.ok and ref and on and kind and _within(cells, trajectories.get(ref), on):
            rows.outcomes.append(OutcomeRow(raw.where, ref, on, kind, economy, certainty, note))


def _within(cells: _Reader, trajectory: TrajectoryRow | None, on: datetime.date) -> bool:
    """Whether the row's trajectory is there and the date lies within it; a problem otherwise."""
    if trajectory is None:
        return False  # said in check_references, with the row numbers of the whole file
    if on < trajectory.started_on:
        cells.fail("datum", _("lies before the start of the trajectory"))
        return False
    return True


def check_references(table: Table, problems: Problems) -> None:
    """References to rows that are not in the file at all (not: rows that have problems)."""
    clients = {_text(r.cells.get("dossiernummer")) for r in table.rows[CLIENTS]}
    trajectories = {_text(r.cells.get("traject_ref")) for r in table.rows[TRAJECTORIES]}
    for raw in table.rows[TRAJECTORIES]:
        ref = _text(raw.cells.get("dossiernummer"))
        if ref and ref not in clients:
            problems.add(
                raw.where, "dossiernummer", _("no row in the sheet clienten with this dossiernummer")
            )
    for kind in (CONTACTS, OUTCOMES):
        for raw in table.rows[kind]:
            ref = _text(raw.cells.get("traject_ref"))
            if ref and ref not in trajectories:
                problems.add(
                    raw.where, "traject_ref", _("no row in the sheet trajecten with this traject_ref")
                )
