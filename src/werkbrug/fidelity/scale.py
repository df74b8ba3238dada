"""The IPS fidelity scales as data (issue 15, point 7; seed 003, appendix A).

Two scales:

- ``ips25``: the international IPS-25 supported employment fidelity scale (Becker, Swanson, Bond &
  Merrens, 2008): 25 items scored 1-5 in one column, maximum 125.
- ``nl``: the Dutch two-column version (Kenniscentrum Phrenos, 2015): column IPS-A (work, 26 items,
  maximum 130) and IPS-O (education, 25 items, maximum 125). Some items sit in one column only; for
  some the two columns may get different scores.

Names and anchors are our own short words, not the scale's text. An item is scored by the
reviewers, or computed from the registration: a computed item reads one or more *figures*
(`fidelity.figures`), each mapped to 1-5 by its `Bands`; the item's proposed score is the lowest of
its figures' scores (a figure without data gives none). Reviewers may override it, with a note.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Method(StrEnum):
    COMPUTED = "computed"
    REVIEWERS = "reviewers"


class Column(StrEnum):
    TOTAL = "total"  # the international scale's one column
    WORK = "work"  # IPS-A
    EDUCATION = "education"  # IPS-O


COLUMN_LABELS = {
    Column.TOTAL: _("IPS-25"),
    Column.WORK: _("IPS-A (work)"),
    Column.EDUCATION: _("IPS-O (education)"),
}


@dataclass(frozen=True)
class Bands:
    """How a figure becomes a score: `cuts` are the thresholds for scores 2, 3, 4 and 5. With
    `higher` a figure at or above a cut reaches it; otherwise a figure at or below it does."""

    cuts: tuple[float, float, float, float]
    higher: bool = True

    def score(self, value: float) -> int:
        if self.higher:
            return 1 + sum(value >= cut for cut in self.cuts)
        return 1 + sum(value <= cut for cut in self.cuts)

    def anchors(self, unit: str) -> list[tuple[int, str]]:
        """The five anchors in short words, from score 5 down: e.g. (5, "≥ 95 %")."""
        c = self.cuts
        if self.higher:
            rows = [(5, f"≥ {c[3]:g}{unit}")]
            rows += [(s, f"{c[s - 2]:g}{unit} - < {c[s - 1]:g}{unit}") for s in (4, 3, 2)]
            rows.append((1, f"< {c[0]:g}{unit}"))
        else:
            rows = [(5, f"≤ {c[3]:g}{unit}")]
            rows += [(s, f"> {c[s - 1]:g}{unit} - ≤ {c[s - 2]:g}{unit}") for s in (4, 3, 2)]
            rows.append((1, f"> {c[0]:g}{unit}"))
        return rows


@dataclass(frozen=True)
class Section:
    key: str
    name: Promise


STAFFING = Section("staffing", _("Staffing"))
ORGANISATION = Section("organisation", _("Organisation"))
SERVICES = Section("services", _("Services"))


@dataclass(frozen=True)
class Item:
    key: str
    number: str  # the item's number in its scale, e.g. "S1" or "B5a"
    section: Section
    name: Promise
    looks_for: Promise  # what a 5 looks like, in our own words
    columns: tuple[Column, ...]
    may_differ: bool = False  # the columns may get different scores
    figures: tuple[tuple[str, Bands], ...] = field(default=())

    @property
    def method(self) -> Method:
        return Method.COMPUTED if self.figures else Method.REVIEWERS

    @property
    def is_computed(self) -> bool:
        return bool(self.figures)


@dataclass(frozen=True)
class Band:
    """A total's band; `minimum` is the lowest total that reaches it."""

    key: str
    name: Promise
    minimum: int


@dataclass(frozen=True)
class Scale:
    key: str
    name: Promise
    columns: tuple[Column, ...]
    items: tuple[Item, ...]

    def maximum(self, column: Column) -> int:
        return 5 * sum(column in item.columns for item in self.items)

    def item(self, key: str) -> Item:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)


# --- Figures: what the registration can tell (fidelity.figures computes them). -----------------
# Units for the anchors: "" (a count or days), "%" (a share).
FIGURE_UNITS = {
    "caseload": "",
    "first_employer_contact_days": "",
    "face_to_face_per_week": "",
    "weekly_reviewed": "%",
    "competitive_share": "%",
    "job_type_diversity": "%",
    "employer_diversity": "%",
    "follow_along_met": "%",
    "job_loss_contact": "%",
    "community_share": "%",
    "outreach_documented": "%",
    "missed_appointment_closures": "%",
}

FIGURE_NAMES = {
    "caseload": _("active IPS trajectories per full-time coach"),
    "first_employer_contact_days": _("average days from IPS start to the first employer contact"),
    "face_to_face_per_week": _("face-to-face employer contacts per coach per week"),
    "weekly_reviewed": _("share of coach-weeks whose employer contacts the coordinator reviewed"),
    "competitive_share": _("share of jobs that are competitive"),
    "job_type_diversity": _("share of jobs of a different kind"),
    "employer_diversity": _("share of jobs with a different employer"),
    "follow_along_met": _("share of follow-along moments met in time"),
    "job_loss_contact": _("share of job ends with contact within 3 days"),
    "community_share": _("share of employer contacts in the community"),
    "outreach_documented": _("share of closures for lost contact with 3 documented outreach attempts"),
    "missed_appointment_closures": _("share of closures for lost contact without documented outreach"),
}

# Bands shared by both scales. Sources: the IPS-25 manual's anchors (caseload, first contact,
# employer contacts, competitive jobs, diversity, community) or, where the scale describes a
# schedule rather than a figure (follow-along, job loss, outreach), our own cuts, stated in docs/ips.md.
FIRST_CONTACT = Bands((270, 150, 60, 30), higher=False)
FACE_TO_FACE = Bands((2, 4, 5, 6))
# The scale asks for a checklist reviewed by the coordinator: monthly for a 3, weekly for a 4 or 5.
# The registration is the checklist (so at least a 2); a review of 1 week in 4 reads as monthly.
REVIEWED = Bands((0, 25, 75, 90))
COMPETITIVE = Bands((65, 75, 85, 95))
DIVERSITY = Bands((50, 60, 70, 85))
TIMELY = Bands((25, 50, 75, 90))
OUTREACH = Bands((50, 75, 90, 100))
MISSED = Bands((20, 10, 5, 0), higher=False)
CASELOAD_IPS25 = Bands((80, 60, 40, 20), higher=False)
CASELOAD_NL = Bands((80, 60, 40, 25), higher=False)
COMMUNITY_IPS25 = Bands((10, 30, 50, 65))
COMMUNITY_NL = Bands((30, 40, 50, 65))

T = (Column.TOTAL,)
AO = (Column.WORK, Column.EDUCATION)
A = (Column.WORK,)
O = (Column.EDUCATION,)  # noqa: E741


def _item(key, number, section, name, looks_for, columns, *, differ=False, figures=()):  # type: ignore[no-untyped-def]
    return Item(key, number, section, name, looks_for, columns, differ, tuple(figures))


# Names and "what a 5 looks like", shared by both scales where the item is the same.
N = {
    "caseload": (_("Caseload per coach"), _("Each full-time coach carries a small IPS caseload.")),
    "vocational_staff": (
        _("Coaches do only IPS"),
        _("Coaches spend nearly all their time on work and study."),
    ),
    "generalists": (
        _("Coaches do every step"),
        _("Each coach does every phase, from intake to follow-along."),
    ),
    "team_integration": (
        _("Part of the care team"),
        _("Coaches belong to one or two care teams, with most clients from them."),
    ),
    "team_contact": (
        _("Regular contact with care"),
        _("Coaches meet the care team weekly and share the file."),
    ),
    "vr_collaboration": (
        _("Working with VDAB and schools"),
        _("Coaches and outside job or study services meet often and share clients."),
    ),
    "unit": (_("An IPS unit"), _("At least two coaches and a lead meet weekly as a unit.")),
    "supervisor": (
        _("Role of the team lead"),
        _("The lead coaches the coaches, reviews outcomes and sets goals."),
    ),
    "zero_exclusion": (
        _("Nobody excluded"),
        _("Anyone who wants work or study may start, whatever their history."),
    ),
    "agency_focus": (
        _("Organisation aims at paid work"),
        _("The organisation shows and asks about paid work and study everywhere."),
    ),
    "executive_support": (
        _("Support from management"),
        _("Management backs IPS, knows the scale and acts on reviews."),
    ),
    "benefits_work": (
        _("Income planning (work)"),
        _("Before a job starts every client gets a personal income plan."),
    ),
    "benefits_education": (
        _("Study costs and income"),
        _("Study costs, grants and benefits are planned with every student."),
    ),
    "disclosure": (
        _("Talking about disclosure"),
        _("What to tell an employer or school is discussed early and again."),
    ),
    "assessment_work": (
        _("Ongoing work assessment"),
        _("What fits is learned from real jobs, not from tests beforehand."),
    ),
    "assessment_education": (
        _("Ongoing study assessment"),
        _("What fits is learned from the study itself, on several domains."),
    ),
    "practical_education": (
        _("Practical help with study"),
        _("Help with enrolment, money, transport, books and planning."),
    ),
    "rapid_search_work": (
        _("Quick search for a job"),
        _("The first employer contact comes within a month of the start."),
    ),
    "rapid_search_education": (
        _("Quick search for a study"),
        _("The first contact with a school comes within a month of the start."),
    ),
    "individualised_search": (
        _("Search fits the client"),
        _("Jobs and studies follow the client's wishes, not what is available."),
    ),
    "employer_contacts": (
        _("Frequent employer contact"),
        _("Each coach meets employers face to face at least six times a week."),
    ),
    "contact_quality_work": (
        _("Quality of employer contact"),
        _("Coaches build relations with employers over several visits."),
    ),
    "contact_quality_education": (
        _("Quality of school contact"),
        _("Coaches build relations with schools and their services."),
    ),
    "job_diversity": (_("Different kinds of jobs"), _("Clients get jobs of many different kinds.")),
    "course_diversity": (
        _("Different kinds of study"),
        _("Students follow many different kinds of courses."),
    ),
    "employer_diversity": (_("Different employers"), _("Clients work for many different employers.")),
    "competitive_jobs": (
        _("Competitive jobs"),
        _("Nearly all jobs are open to anyone and paid at least the minimum wage."),
    ),
    "personal_follow_along": (
        _("Support after the start fits"),
        _("Support after the start is varied and fits the person and the job."),
    ),
    "external_resources": (
        _("Using outside support"),
        _("Coaches bring in outside help where it serves the client."),
    ),
    "unlimited_follow_along": (
        _("Follow-along without end"),
        _("Contact before and right after the start, weekly, then monthly; within 3 days of a job loss."),
    ),
    "community": (_("Work in the community"), _("Coaches spend most of their time outside the office.")),
    "outreach": (
        _("Outreach, no closing for no-shows"),
        _("Files are not closed for missed appointments; outreach is documented."),
    ),
}


def _make(key, number, section, columns, *, differ=False, figures=()):  # type: ignore[no-untyped-def]
    name, looks_for = N[key]
    return _item(key, number, section, name, looks_for, columns, differ=differ, figures=figures)


# The organisation section is the same in both scales: O1 to O8 in this order. `differ`: the items a
# scale with two columns scores apart per column.
ORGANISATION_ITEMS = (
    "team_integration",
    "team_contact",
    "vr_collaboration",
    "unit",
    "supervisor",
    "zero_exclusion",
    "agency_focus",
    "executive_support",
)


def _organisation(columns: tuple[Column, ...], differ: Collection[str] = ()) -> tuple[Item, ...]:
    return tuple(
        _make(key, f"O{number}", ORGANISATION, columns, differ=key in differ)
        for number, key in enumerate(ORGANISATION_ITEMS, start=1)
    )


IPS25 = Scale(
    key="ips25",
    name=_("IPS-25 (international)"),
    columns=T,
    items=(
        _make("caseload", "S1", STAFFING, T, figures=[("caseload", CASELOAD_IPS25)]),
        _make("vocational_staff", "S2", STAFFING, T),
        _make("generalists", "S3", STAFFING, T),
        *_organisation(T),
        _make("benefits_work", "B1", SERVICES, T),
        _make("disclosure", "B2", SERVICES, T),
        _make("assessment_work", "B3", SERVICES, T),
        _make(
            "rapid_search_work", "B4", SERVICES, T, figures=[("first_employer_contact_days", FIRST_CONTACT)]
        ),
        _make("individualised_search", "B5", SERVICES, T),
        _make(
            "employer_contacts",
            "B6",
            SERVICES,
            T,
            figures=[("face_to_face_per_week", FACE_TO_FACE), ("weekly_reviewed", REVIEWED)],
        ),
        _make("contact_quality_work", "B7", SERVICES, T),
        _make("job_diversity", "B8", SERVICES, T, figures=[("job_type_diversity", DIVERSITY)]),
        _make("employer_diversity", "B9", SERVICES, T, figures=[("employer_diversity", DIVERSITY)]),
        _make("competitive_jobs", "B10", SERVICES, T, figures=[("competitive_share", COMPETITIVE)]),
        _make("personal_follow_along", "B11", SERVICES, T),
        _make(
            "unlimited_follow_along",
            "B12",
            SERVICES,
            T,
            figures=[("follow_along_met", TIMELY), ("job_loss_contact", TIMELY)],
        ),
        _make("community", "B13", SERVICES, T, figures=[("community_share", COMMUNITY_IPS25)]),
        _make(
            "outreach",
            "B14",
            SERVICES,
            T,
            figures=[("outreach_documented", OUTREACH), ("missed_appointment_closures", MISSED)],
        ),
    ),
)

NL = Scale(
    key="nl",
    name=_("Dutch IPS scale (IPS-A and IPS-O)"),
    columns=AO,
    items=(
        # Staffing. The Dutch scale has one caseload item for an integrated caseload (1a) and one
        # per column for separate ones (1b, 1c); we score the integrated one in both columns.
        _make("caseload", "Z1", STAFFING, AO, figures=[("caseload", CASELOAD_NL)]),
        _make("vocational_staff", "Z2", STAFFING, AO),
        _make("generalists", "Z3", STAFFING, AO, differ=True),
        *_organisation(AO, differ={"vr_collaboration", "zero_exclusion", "agency_focus"}),
        _make("benefits_work", "B1a", SERVICES, A),
        _make("benefits_education", "B1b", SERVICES, O),
        _make("disclosure", "B2", SERVICES, AO, differ=True),
        _make("assessment_work", "B3a", SERVICES, A),
        _make("assessment_education", "B3b", SERVICES, O),
        _make("practical_education", "B4", SERVICES, O),
        _make(
            "rapid_search_work", "B5a", SERVICES, A, figures=[("first_employer_contact_days", FIRST_CONTACT)]
        ),
        _make("rapid_search_education", "B5b", SERVICES, O),
        _make("individualised_search", "B6", SERVICES, AO, differ=True),
        _make(
            "employer_contacts",
            "B7",
            SERVICES,
            AO,
            figures=[("face_to_face_per_week", FACE_TO_FACE), ("weekly_reviewed", REVIEWED)],
        ),
        _make("contact_quality_work", "B8a", SERVICES, A),
        _make("contact_quality_education", "B8b", SERVICES, O),
        _make("job_diversity", "B9a", SERVICES, A, figures=[("job_type_diversity", DIVERSITY)]),
        _make("course_diversity", "B9b", SERVICES, O),
        _make("employer_diversity", "B10", SERVICES, A, figures=[("employer_diversity", DIVERSITY)]),
        _make("competitive_jobs", "B11", SERVICES, A, figures=[("competitive_share", COMPETITIVE)]),
        _make("personal_follow_along", "B12", SERVICES, AO, differ=True),
        _make("external_resources", "B13", SERVICES, AO, differ=True),
        _make(
            "unlimited_follow_along",
            "B14",
            SERVICES,
            AO,
            differ=True,
            figures=[("follow_along_met", TIMELY), ("job_loss_contact", TIMELY)],
        ),
        _make("community", "B15", SERVICES, AO, figures=[("community_share", COMMUNITY_NL)]),
        _make(
            "outreach",
            "B16",
            SERVICES,
            AO,
            figures=[("outreach_documented", OUTREACH), ("missed_appointment_closures", MISSED)],
        ),
    ),
)

# The IPS-25 manual (Becker et al. 2008): 115-125 exemplary, 100-114 good, 74-99 fair, ≤ 73 not IPS.
# For another maximum (the Dutch IPS-A column, 130) the lowest total of a band is the manual's
# minimum x maximum / 125, rounded up (our assumption: docs/ips.md).
IPS25_BANDS = (
    Band("exemplary", _("exemplary fidelity"), 115),
    Band("good", _("good fidelity"), 100),
    Band("fair", _("fair fidelity"), 74),
    Band("not_ips", _("not IPS"), 0),
)
SCALES = {IPS25.key: IPS25, NL.key: NL}
SCALE_CHOICES = [(scale.key, scale.name) for scale in SCALES.values()]
IPS25_MAXIMUM = 125


def bands_for(scale: Scale, column: Column) -> tuple[Band, ...]:
    """The bands of a column: the IPS-25 manual's, proportionally for another maximum."""
    maximum = scale.maximum(column)
    return tuple(
        Band(band.key, band.name, -(-band.minimum * maximum // IPS25_MAXIMUM)) for band in IPS25_BANDS
    )


def band_for(scale: Scale, column: Column, total: int) -> Band:
    bands = bands_for(scale, column)
    for band in bands:
        if total >= band.minimum:
            return band
    return bands[-1]


def proposed_score(item: Item, values: dict[str, float | None]) -> int | None:
    """The lowest score of the item's figures that have data; None when none has."""
    scores = []
    for key, bands in item.figures:
        value = values.get(key)
        if value is not None:
            scores.append(bands.score(value))
    return min(scores) if scores else None


# The counts a figure shows beside its value (fidelity.figures), named for the page.
COUNT_LABELS = {
    "trajectories": _("trajectories"),
    "coaches": _("coaches"),
    "fte": _("FTE"),
    "on": _("on"),
    "within_30_days": _("within 30 days"),
    "without_contact": _("without employer contact yet"),
    "contacts": _("contacts"),
    "weeks": _("weeks"),
    "coaches_with_6_a_week": _("coaches with 6 or more a week"),
    "jobs": _("jobs"),
    "competitive": _("competitive"),
    "kinds": _("different kinds"),
    "employers": _("different employers"),
    "ended": _("jobs ended"),
    "met": _("met"),
    "moments": _("moments due"),
    "weeks_due": _("coach-weeks"),
    "reviewed": _("reviewed"),
    "all": _("employer contacts"),
    "community": _("in the community"),
    "closed": _("closed"),
    "lost_contact": _("closed for lost contact"),
    "documented": _("with 3 documented attempts"),
    "attempts": _("outreach attempts in the period"),
    "clients": _("clients"),
    "employed": _("with paid work"),
}


def count_rows(counts: dict[str, object]) -> list[tuple[str, object]]:
    return [(str(COUNT_LABELS.get(key, key)), value) for key, value in counts.items()]
