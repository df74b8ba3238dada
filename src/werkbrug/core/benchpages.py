"""The pages people use every day, per role: the list that `bench/pages.py` measures and that
`core/tests/test_bench_pages.py` walks to check that no page's query count grows with the data
(issue 14). Strings only, so that `core` stays below the areas: URL names, the persona that opens
each page, and the kind of object each URL argument is.

Personas (each samples one user of that role from the data):

- ``coach``: a coach with open trajectories;
- ``screener``: a screener of a referral line with open referrals;
- ``coordinator``: a coordinator of a work organisation with coaches and incoming handovers;
- ``care``: a care professional whose organisation referred clients and receives feedback;
- ``team_member``: a member of a case team with a meeting that has agenda items;
- ``work_partner``: a coach at a work organisation that a client's profile consent shares with;
- ``funder``: a funder;
- ``anonymous``: nobody logged in.

Argument kinds (each picked for the persona so that the page answers 200, never 404):

- ``caseload_client``: a client of the coach's open caseload;
- ``led_trajectory``: an open trajectory the coach leads;
- ``referable_client``: a client the care professional's organisation registered;
- ``meeting``: a meeting of the team member's case team;
- ``agenda_item``: a case item on that meeting;
- ``profile_client``: a client whose profile the work partner's organisation may read;
- ``employer``: an employer the coach's organisation had job development contacts with;
- any other string (``slug:yearly``) is passed as it is, after ``slug:``.
"""

from __future__ import annotations

from dataclasses import dataclass

PERSONAS = ("coach", "screener", "coordinator", "care", "team_member", "work_partner", "funder", "anonymous")
ARGUMENT_KINDS = (
    "caseload_client",
    "led_trajectory",
    "referable_client",
    "meeting",
    "agenda_item",
    "profile_client",
    "employer",
)
LITERAL = "slug:"


@dataclass(frozen=True)
class BenchPage:
    key: str  # short, for `bench/pages.py --pages`
    url_name: str
    persona: str
    args: tuple[str, ...] = ()

    @property
    def argument_kinds(self) -> tuple[str, ...]:
        return tuple(a for a in self.args if not a.startswith(LITERAL))

    def url_args(self, picks: dict[str, int]) -> list[object]:
        """The URL's arguments, with each kind taken from `picks` (a KeyError for a missing one)."""
        return [a.removeprefix(LITERAL) if a.startswith(LITERAL) else picks[a] for a in self.args]


def _reports() -> list[BenchPage]:
    return [
        BenchPage(f"report-{slug}-{persona}", "reports:report", persona, (LITERAL + slug,))
        for slug in ("yearly", "caseload", "funnel", "annex", "workcare")
        for persona in ("coordinator", "funder")
    ]


PAGES: tuple[BenchPage, ...] = (
    BenchPage("healthz", "core:healthz", "anonymous"),
    BenchPage("caseload", "trajectories:caseload", "coach"),
    BenchPage("client", "clients:detail", "coach", ("caseload_client",)),
    BenchPage("trajectory", "trajectories:detail", "coach", ("led_trajectory",)),
    BenchPage("referral-form", "referrals:create", "care", ("referable_client",)),
    BenchPage("inbox", "referrals:inbox", "screener"),
    BenchPage("waiting", "referrals:waiting", "screener"),
    BenchPage("capacity", "trajectories:capacity", "coordinator"),
    BenchPage("handovers", "trajectories:handovers", "coordinator"),
    BenchPage("meeting", "teams:meeting", "team_member", ("meeting",)),
    BenchPage("agenda-item", "teams:item_minutes", "team_member", ("agenda_item",)),
    BenchPage("profile", "exchange:profile", "work_partner", ("profile_client",)),
    BenchPage("feedback", "feedback:inbox", "care"),
    BenchPage("employers", "employers:list", "coach"),
    BenchPage("employer", "employers:detail", "coach", ("employer",)),
    BenchPage("employer-week", "employers:week", "coach"),
    BenchPage("employer-week-team", "employers:week", "coordinator"),
    BenchPage("workcare-workshops", "workcare:workshops", "coordinator"),
    # A trajectory's jobs, follow-along, income plans and disclosure (ips, issue 15): the team's page.
    BenchPage("ips-jobs", "ips:trajectory", "coach", ("led_trajectory",)),
    # Outreach at care sites (issue 16 part 2): the coach's open paths, the organisation's projects.
    BenchPage("outreach-paths", "outreach:paths", "coach"),
    BenchPage("outreach-projects", "outreach:projects", "coordinator"),
    # Zitdagen at antenna points (issue 18 point 5): who is there when, the next four weeks.
    BenchPage("outreach-zitdagen", "outreach:zitdagen", "coach"),
    # The IPS fidelity review (issue 15): the reviews compared over time, and the items computed
    # live from the last twelve months of the coordinator's IPS coaches (the 1 s page).
    BenchPage("fidelity", "fidelity:index", "coordinator"),
    BenchPage("fidelity-now", "fidelity:live", "coordinator"),
    # Group modules (issue 18): the runs with their seats, waiting lists, fill rate and completion.
    BenchPage("groups", "groups:runs", "coordinator"),
    # The library (issue 18 point 2): the documents and the draaiboek, as members read them.
    BenchPage("library", "library:index", "care"),
    BenchPage("draaiboek", "library:draaiboek", "care"),
    *_reports(),
)
FLOOR = "healthz"  # every page's time is also given as a multiple of this one's, measured in the same run


def pages_by_key(keys: str = "") -> list[BenchPage]:
    """The pages named in a comma-separated list of keys (all when empty); a key also names the
    pages whose key starts with it and a dash (`report` for every report page). The floor always
    comes along. An unknown key raises ValueError with the known ones."""
    if not keys:
        return list(PAGES)
    wanted = [k.strip() for k in keys.split(",") if k.strip()]

    def named(page: BenchPage, key: str) -> bool:
        return page.key == key or page.key.startswith(key + "-")

    unknown = [k for k in wanted if not any(named(page, k) for page in PAGES)]
    if unknown:
        known = ", ".join(page.key for page in PAGES)
        raise ValueError(f"unknown page(s) {', '.join(unknown)}; known: {known}")
    return [page for page in PAGES if page.key == FLOOR or any(named(page, k) for k in wanted)]
