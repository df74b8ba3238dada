"""The draaiboek's indications (seed 000 L286-330): the vocabulary that referral lines name and that
screeners check at triage. Reference data of the network; the triage suggestion built from them
lives in `referrals.triage`.

The network admin edits them in the app (library.draaiboek_views): they live in the database as
versions (`DraaiboekVersion` with its `Indication` rows). `FIRST` below is version 1, the
wording the network started with (the data migration network 0006 stores it); its English msgids
stay here so that version 1 reads in the reader's language (`Draaiboek.label`). Wording the admin
writes later is shown as written.

Read them through `published()` (what new referrals use) or `of_versions()` (what a referral was
triaged under): one query each."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from werkbrug.network.models import DraaiboekStatus, DraaiboekVersion, Indication

# Version 1: code -> wording (English msgid). Grouped as the draaiboek groups them; lines name the codes that point to them.
FIRST: dict[str, str] = {
    # to the arbeidscoach (intensive pre-trajectory)
    "low_threshold": gettext_noop("A low threshold is a precondition for starting a trajectory"),
    "intensive_vulnerability": gettext_noop(
        "More intensive follow-up and support (duration, frequency, continuity) because of the psychological "
        "vulnerability"
    ),
    "psychiatric_expertise": gettext_noop("Psychiatric expertise is needed"),
    "work_attitudes": gettext_noop("Support to lower thresholds in work attitudes and working conditions"),
    "whole_trajectory": gettext_noop(
        "Support of the whole trajectory towards (re)employment in the regular circuit"
    ),
    "shared_focus": gettext_noop("A shared focus on care and work"),
    # to the GTB trajectbegeleider (regular trajectory possible now)
    "vulnerability_background": gettext_noop("The psychological vulnerability is not in the foreground"),
    "disability_expertise": gettext_noop("Expertise in the integration of people with a work disability"),
    "intensive_work": gettext_noop("More intensive follow-up and support focused on work"),
    # to the case team
    "unclear_lead": gettext_noop("It is unclear which service should lead"),
    "broad_support": gettext_noop("Intensive or broadly carried support is needed"),
}

# Version 1, translated when read (the API's codes; new codes come with new versions).
INDICATIONS: dict[str, Promise] = {code: _(msgid) for code, msgid in FIRST.items()}

CASE_TEAM_INDICATIONS = frozenset({"unclear_lead", "broad_support"})

# Version 1's groups, as the draaiboek groups the codes above.
FIRST_GROUPS: dict[str, str] = {
    **dict.fromkeys(
        [
            "low_threshold",
            "intensive_vulnerability",
            "psychiatric_expertise",
            "work_attitudes",
            "whole_trajectory",
            "shared_focus",
        ],
        "arbeidscoach",
    ),
    **dict.fromkeys(["vulnerability_background", "disability_expertise", "intensive_work"], "gtb"),
    **dict.fromkeys(["unclear_lead", "broad_support"], "case_team"),
}


@dataclass(frozen=True)
class Item:
    code: str
    label: str  # as stored: version 1's English msgid, or the admin's wording
    group: str
    to_case_team: bool

    @property
    def wording(self) -> str:
        """The wording shown: version 1's text in the reader's language, later wording as written."""
        return gettext(self.label) if self.label else self.code


@dataclass(frozen=True)
class Draaiboek:
    """The indications of one draaiboek version, in their order; `version` None only before any
    version exists (a database without the data migration): then version 1 from the code."""

    version: DraaiboekVersion | None
    items: list[Item] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        return [item.code for item in self.items]

    @property
    def case_team(self) -> frozenset[str]:
        return frozenset(item.code for item in self.items if item.to_case_team)

    def label(self, code: str) -> str:
        for item in self.items:
            if item.code == code:
                return item.wording
        return code

    def labels(self, codes: Iterable[str]) -> list[str]:
        """The wording of these codes in this version's order; unknown codes are left out."""
        wanted = set(codes)
        return [item.wording for item in self.items if item.code in wanted]

    def choices(self) -> list[tuple[str, str]]:
        return [(item.code, item.wording) for item in self.items]

    def clean(self, codes: Iterable[str]) -> list[str]:
        """Known codes only, in the draaiboek's order."""
        wanted = set(codes)
        return [item.code for item in self.items if item.code in wanted]


def first_draaiboek() -> Draaiboek:
    """Version 1 from the code: before the data migration ran, and for tests without a database."""
    return Draaiboek(
        None,
        [
            Item(code, msgid, FIRST_GROUPS[code], code in CASE_TEAM_INDICATIONS)
            for code, msgid in FIRST.items()
        ],
    )


def item_of(row: Indication) -> Item:
    """The draaiboek item a stored indication row stands for."""
    return Item(row.code, row.label, row.group, row.to_case_team)


def write_items(items: list[Item], version: DraaiboekVersion) -> None:
    """Store these indications, in their order, as the rows of `version`."""
    Indication.objects.bulk_create(
        Indication(
            version=version,
            code=item.code,
            label=item.label,
            group=item.group,
            to_case_team=item.to_case_team,
            position=i,
        )
        for i, item in enumerate(items)
    )


def published_version() -> DraaiboekVersion | None:
    return DraaiboekVersion.objects.filter(status=DraaiboekStatus.PUBLISHED).order_by("-number").first()


def published() -> Draaiboek:
    """The published draaiboek (the highest number), in one query."""
    latest = DraaiboekVersion.objects.filter(status=DraaiboekStatus.PUBLISHED).order_by("-number")
    rows = list(
        Indication.objects.filter(version=latest.values("pk")[:1])
        .select_related("version")
        .order_by("position", "pk")
    )
    if not rows:
        return first_draaiboek()
    return Draaiboek(rows[0].version, [item_of(r) for r in rows])


def of_version(version: DraaiboekVersion) -> Draaiboek:
    return Draaiboek(version, [item_of(r) for r in version.indications.order_by("position", "pk")])


def of_versions(version_ids: Iterable[int | None]) -> dict[int | None, Draaiboek]:
    """The draaiboek of each of these versions, in one query; None (a referral from before the
    versions) maps to the published one. `version_ids` is read once (a generator will do)."""
    given = set(version_ids)
    wanted = {pk for pk in given if pk is not None}
    found: dict[int | None, list[Indication]] = {}
    for row in (
        Indication.objects.filter(version_id__in=wanted).select_related("version").order_by("position", "pk")
    ):
        found.setdefault(row.version_id, []).append(row)
    result: dict[int | None, Draaiboek] = {
        pk: Draaiboek(rows[0].version, [item_of(r) for r in rows]) for pk, rows in found.items()
    }
    if None in given or wanted - set(result):
        current = published()
        result[None] = current
        for pk in wanted - set(result):
            result[pk] = current
    return result


def indication_choices() -> list[tuple[str, str]]:
    """The published indications, for a form's choices (read when the form is shown)."""
    return published().choices()


def clean_indications(codes: Iterable[str]) -> list[str]:
    """Known codes of the published draaiboek only, in its order."""
    return published().clean(codes)


def ensure_first_draaiboek() -> None:
    """Version 1 as the data migration makes it, when no version exists (a flushed test database)."""
    if DraaiboekVersion.objects.exists():
        return
    version = DraaiboekVersion.objects.create(
        number=1, status=DraaiboekStatus.PUBLISHED, published_at=timezone.now()
    )
    write_items(first_draaiboek().items, version)
