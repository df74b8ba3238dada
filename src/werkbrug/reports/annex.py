"""The monitoring table of annex 11.5 (seed 002 L7595-7620): outreach at care sites for a period,
as of a date ("January-June, situation on 30/09"), for the network and per project; and beside it
what the evaluators asked for: unique persons, by channel, no-shows, verified against presumed,
sites with an agreement, actions aimed at care professionals (docs/outreach.md).

What counts, as of `as_of` (a fact recorded after that day does not count yet):
- individual reach: the paths whose first conversation lies in the period; unique persons beside it
  (a client file's person number, or the path itself for a person without a file);
- collective reach: the people reached by info sessions for clients held in the period;
- results: the persons with an onward referral dated in the period, per destination (one person may
  count in several), of which verified by `as_of`; with VDAB, those with a recognised work
  incapacity (the benefit status kept with the referral);
- no-shows: appointments in the period marked no-show by `as_of`;
- sites with an agreement: a signed agreement (signed by `as_of`) covering the end of the period.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Sum, When
from django.db.models.expressions import BaseExpression
from django.db.models.lookups import Exact
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkbrug.core import statements
from werkbrug.core.dbdates import Scanned, local_midnight
from werkbrug.outreach.models import (
    Agreement,
    Appointment,
    AppointmentState,
    Audience,
    Destination,
    InfoSession,
    OnwardReferral,
    Path,
    PathChannel,
    Project,
    Site,
    covering_agreement,
)
from werkbrug.reports.asof import known_until, situation_day
from werkbrug.reports.framework import LABEL, Column, Params, Report, Row, Section, register

NOTE_SEVERAL = gettext_lazy("A person may count in several categories.")


def person(prefix: str = "") -> BaseExpression:
    """One person: the client file's person number, or (no file) the path, as a negative number so
    that it never meets a person number."""
    return Case(
        When(**{f"{prefix}client__isnull": True}, then=-F(f"{prefix}id")),
        default=F(f"{prefix}client__person_number"),
    )


def _sites(params: Params) -> QuerySet[Site]:
    sites = Site.objects.all()
    if params.organisation is not None:
        sites = sites.filter(run_by=params.organisation)
    if params.project is not None:
        sites = sites.filter(projects=params.project)
    return sites


def period(params: Params) -> tuple[datetime.date, datetime.date]:
    """The period counted: with a project chosen, the part of the period within the project's own
    (a site counts for a project within the project's period; the "per project" rule)."""
    if params.project is None:
        return params.start, params.end
    return max(params.start, params.project.starts_on), min(params.end, params.project.ends_on)


def _narrow(qs: QuerySet[Any], params: Params, site: str) -> QuerySet[Any]:
    if params.organisation is not None:
        qs = qs.filter(**{f"{site}__run_by": params.organisation})
    if params.project is not None:
        qs = qs.filter(**{f"{site}__projects": params.project})
    return qs


def paths_in(params: Params) -> QuerySet[Path]:
    qs = Path.objects.filter(started_on__range=period(params), created_at__lt=known_until(params))
    return _narrow(qs, params, "site")


def referrals_in(params: Params) -> QuerySet[OnwardReferral]:
    qs = OnwardReferral.objects.filter(referred_on__range=period(params), recorded_at__lt=known_until(params))
    return _narrow(qs, params, "path__site")


def sessions_in(params: Params) -> QuerySet[InfoSession]:
    qs = InfoSession.objects.filter(held_on__range=period(params), recorded_at__lt=known_until(params))
    return _narrow(qs, params, "site")


def _to_vdab(params: Params) -> Q:
    """Onward referrals to VDAB. For the network, through the index on the destination. For one
    organisation or project, SQLite would take the same index and read every referral to VDAB in
    the network's period, then keep its own sites' (5 ms at full scale against 0.2 from its sites'
    paths, docs/bench.md s46): there the destination is compared off the index."""
    if params.organisation is None and params.project is None:
        return Q(destination=Destination.VDAB)
    return Q(Exact(Scanned("destination", CharField()), Destination.VDAB))


def verified(params: Params, prefix: str = "") -> Q:
    return Q(**{f"{prefix}verified_on__lte": params.as_of})


def _in_project(prefix: str, day: str) -> Q:
    """Rows of a site in the project, dated within the project's period (used after a join on
    `<prefix>projects`)."""
    return Q(**{f"{prefix}projects__starts_on__lte": F(day), f"{prefix}projects__ends_on__gte": F(day)})


# --- the figures: one grouped query per family ------------------------------------------------------


@dataclass
class Figures:
    by_channel: dict[str, int]
    reach: dict[str, int]
    results: dict[str, dict[str, int]]
    sessions: dict[str, dict[str, int]]
    no_shows: int
    with_agreement: int


def _kept(params: Params, name: str, build: Callable[[], QuerySet[Any]]) -> list[dict[str, Any]]:
    """The rows of the values() query `build()` gives, its statement kept per parameters
    (core.statements): a coordinator's annex is a dozen small statements, each cheaper to run than
    to build."""
    return statements.values(params.statement_key(f"annex {name}"), build)


def _total(
    params: Params, name: str, build: Callable[[], QuerySet[Any]], **aggregates: Any
) -> dict[str, Any]:
    """`build().aggregate(**aggregates)` of counts, its statement kept as `_kept`'s (0 each when the
    query cannot have rows, as `aggregate` gives)."""
    found = _kept(params, name, lambda: statements.totals(build(), **aggregates))
    return found[0] if found else dict.fromkeys(aggregates, 0)


def figures(params: Params) -> Figures:
    by_channel = {
        row["channel"]: row["n"]
        for row in _kept(
            params, "channels", lambda: paths_in(params).values("channel").annotate(n=Count("pk")).order_by()
        )
    }
    reach = _total(
        params,
        "reach",
        lambda: paths_in(params),
        persons=Count(person(), distinct=True),
        decided=Count("pk", filter=Q(decided_on__isnull=False, decided_on__lte=params.as_of)),
    )
    results = {
        row["destination"]: row
        for row in _kept(
            params,
            "results",
            lambda: (
                referrals_in(params)
                .values("destination")
                .annotate(
                    persons=Count(person("path__"), distinct=True),
                    verified=Count(person("path__"), filter=verified(params), distinct=True),
                    incapacity=Count(person("path__"), filter=Q(work_incapacity=True), distinct=True),
                )
                .order_by()
            ),
        )
    }
    sessions = {
        row["audience"]: row
        for row in _kept(
            params,
            "sessions",
            lambda: (
                sessions_in(params)
                .values("audience")
                .annotate(n=Count("pk"), reached=Sum("reached"))
                .order_by()
            ),
        )
    }

    def no_shows() -> QuerySet[Appointment]:
        first, last = period(params)
        return Appointment.objects.filter(
            hours__site__in=_sites(params),
            state=AppointmentState.NO_SHOW,
            starts_at__gte=local_midnight(first),
            starts_at__lt=local_midnight(last + datetime.timedelta(days=1)),
            decided_at__lt=known_until(params),
        )

    def with_agreement() -> QuerySet[Site]:
        agreements = Agreement.objects.filter(
            covering_agreement(situation_day(params)), signed_on__lte=params.as_of
        )
        return _sites(params).filter(Exists(agreements.filter(site=OuterRef("pk"))))

    return Figures(
        by_channel,
        reach,
        results,
        sessions,
        _total(params, "no-shows", no_shows, n=Count("*"))["n"],
        _total(params, "agreements", with_agreement, n=Count("*"))["n"],
    )


def project_figures(params: Params) -> dict[int, dict[str, int]]:
    """Per project: individual reach, collective reach, VDAB registrations and of them verified. A
    site counts for a project within the project's period."""
    out: dict[int, dict[str, int]] = {}

    def put(statement: str, build: Callable[[], QuerySet[Any]], *names: str) -> None:
        for row in _kept(params, statement, build):
            target = out.setdefault(row["project"], {})
            for name in names:
                target[name] = int(row[name] or 0)

    put(
        "project paths",
        lambda: (
            paths_in(params)
            .filter(_in_project("site__", "started_on"))
            .values(project=F("site__projects"))
            .annotate(individual=Count(person(), distinct=True))
            .order_by()
        ),
        "individual",
    )
    put(
        "project sessions",
        lambda: (
            sessions_in(params)
            .filter(_in_project("site__", "held_on"), audience=Audience.CLIENTS)
            .values(project=F("site__projects"))
            .annotate(collective=Sum("reached"))
            .order_by()
        ),
        "collective",
    )
    put(
        "project referrals",
        lambda: (
            referrals_in(params)
            .filter(_in_project("path__site__", "referred_on"), _to_vdab(params))
            .values(project=F("path__site__projects"))
            .annotate(
                vdab=Count(person("path__"), distinct=True),
                vdab_verified=Count(person("path__"), filter=verified(params), distinct=True),
            )
            .order_by()
        ),
        "vdab",
        "vdab_verified",
    )
    return out


# --- the sections ------------------------------------------------------------------------------------

COUNT_COLUMN = Column("n", gettext_lazy("Persons"))


@register
class AnnexReport(Report):
    slug = "annex"
    title = gettext_lazy("Outreach monitoring (annex 11.5)")
    description = gettext_lazy(
        "Outreach at care sites: individual and collective reach, presumed results per category, per "
        "project and for the network; beside it unique persons, channels, no-shows, verified against "
        "presumed, sites with an agreement and actions aimed at care professionals."
    )
    definition = "annex/1"
    # A coordinator narrows the table to one of the organisation's projects (a funder gets none).
    filters = ("project",)
    definition_note = gettext_lazy(
        "As of a date: paths, sessions, referrals and no-shows recorded by then; verified when verified "
        "by then; a person may count in several result categories."
    )

    def sections(self, params: Params, *, detail: bool) -> list[Section]:
        f = figures(params)
        reach, results, sessions, by_channel = f.reach, f.results, f.sessions, f.by_channel
        individual = sum(by_channel.values())
        clients = sessions.get(Audience.CLIENTS, {})
        professionals = sessions.get(Audience.PROFESSIONALS, {})

        def simple(key: str, title: str, rows: list[tuple[str, Hashable, int]], note: str = "") -> Section:
            return Section(
                key=key,
                title=title,
                columns=[Column("label", "", LABEL), COUNT_COLUMN],
                rows=[Row(label, {"n": n}, keys={"n": cell}) for label, cell, n in rows],
                rows_add_up=False,
                note=note,
            )

        reach_section = simple(
            "reach",
            _("Reach of persons with health challenges"),
            [
                (_("Individual"), ("individual", "all"), individual),
                (
                    _("Collective (info session, webinar, on the ward)"),
                    ("collective",),
                    int(clients.get("reached") or 0),
                ),
            ],
        )
        result_rows = []
        for destination in Destination:
            row = results.get(destination.value, {})
            n, v = int(row.get("persons", 0)), int(row.get("verified", 0))
            result_rows.append(
                Row(
                    str(destination.label),
                    {"n": n, "verified": v, "presumed": n - v},
                    keys={"n": ("result", destination.value), "verified": ("verified", destination.value)},
                )
            )
            if destination == Destination.VDAB:
                result_rows.append(
                    Row(
                        _("of which with a recognised work incapacity"),
                        {"n": int(row.get("incapacity", 0))},
                        keys={"n": ("incapacity",)},
                    )
                )
        result_section = Section(
            key="results",
            title=_("Results of the actions (estimate by the project)"),
            columns=[
                Column("label", "", LABEL),
                Column("n", gettext_lazy("Persons")),
                Column("verified", gettext_lazy("of which verified")),
                Column("presumed", gettext_lazy("still presumed")),
            ],
            rows=result_rows,
            rows_add_up=False,
            partitions=(("n", ("verified", "presumed")),),
            note=NOTE_SEVERAL,
        )
        channel_section = Section(
            key="channels",
            title=_("Individual reach by channel"),
            columns=[Column("label", "", LABEL), Column("n", gettext_lazy("Paths"))],
            rows=[
                Row(str(c.label), {"n": by_channel.get(c.value, 0)}, keys={"n": ("channel", c.value)})
                for c in PathChannel
            ],
            total=Row(_("Total"), {"n": individual}, keys={"n": ("individual", "all")}),
        )
        evaluators = simple(
            "evaluators",
            _("What the evaluators asked for"),
            [
                (_("Unique persons reached individually"), ("persons",), int(reach["persons"])),
                (_("Informed decisions"), ("decided",), int(reach["decided"])),
                (_("No-shows"), ("no_shows",), f.no_shows),
                (_("Sites with an agreement"), ("with_agreement",), f.with_agreement),
                (
                    _("Actions aimed at care professionals"),
                    ("pro_sessions",),
                    int(professionals.get("n") or 0),
                ),
                (_("Care professionals reached"), ("pro_reached",), int(professionals.get("reached") or 0)),
            ],
        )
        per_project = project_figures(params)
        projects = (
            Project.objects.filter(pk__in=per_project.keys()) if per_project else Project.objects.none()
        )
        if params.organisation is not None:
            projects = projects.filter(run_by=params.organisation)
        if params.project is not None:
            projects = projects.filter(pk=params.project.pk)
        project_section = Section(
            key="projects",
            title=_("Per project"),
            columns=[
                Column("label", "", LABEL),
                Column("individual", gettext_lazy("Individual reach")),
                Column("collective", gettext_lazy("Collective reach")),
                Column("vdab", gettext_lazy("VDAB registrations (presumed)")),
                Column("vdab_verified", gettext_lazy("of which verified")),
            ],
            rows=[
                Row(
                    p.name,
                    {
                        k: per_project[p.pk].get(k, 0)
                        for k in ("individual", "collective", "vdab", "vdab_verified")
                    },
                )
                for p in projects.order_by("name", "pk")
            ],
            rows_add_up=False,
            subsets=(("vdab_verified", "vdab"),),
            note=_("A site counts for a project within the project's period; projects may share a site."),
        )
        return [reach_section, result_section, channel_section, evaluators, project_section]
