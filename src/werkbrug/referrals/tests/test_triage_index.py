"""The triage suggestion through the line index gives what scoring every line gives (issue 14): the
index only narrows which lines are looked at."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from werkbrug.network.indications import CASE_TEAM_INDICATIONS, INDICATIONS, first_draaiboek
from werkbrug.network.models import ReferralLine
from werkbrug.referrals.triage import LineIndex, suggest

CODES = sorted(INDICATIONS)
# Version 1 of the draaiboek, from the code: these tests need no database.
BOOK = first_draaiboek()


def reference(checked: list[str], lines: list[ReferralLine]) -> tuple[int | None, bool]:
    """Every line scored by hand: the line with most checked indications (a tie, or a case-team
    indication, also asks for the case team); no line when none scores."""
    wanted = [code for code in CODES if code in set(checked)]
    scored = sorted(
        ((sum(1 for code in wanted if code in line.indications), line.name, line.pk) for line in lines),
        key=lambda row: (-row[0], row[1]),
    )
    case_team = any(code in CASE_TEAM_INDICATIONS for code in wanted)
    if not scored or scored[0][0] == 0:
        return None, case_team
    tie = len(scored) > 1 and scored[1][0] == scored[0][0]
    return scored[0][2], tie or case_team


line_specs = st.lists(
    st.tuples(st.text("abcdef", min_size=1, max_size=3), st.lists(st.sampled_from(CODES), max_size=5)),
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(specs=line_specs, checked=st.lists(st.sampled_from([*CODES, "unknown"]), max_size=6))
def test_the_index_suggests_what_scoring_every_line_suggests(specs, checked):
    # Names are unique per line, as the order among equal scores is by name.
    lines = [
        ReferralLine(pk=n + 1, name=f"{name}-{n:02d}", indications=codes)
        for n, (name, codes) in enumerate(specs)
    ]
    got = LineIndex(lines, BOOK).suggest(checked)
    line_pk, case_team = reference(checked, lines)
    assert (got.line.pk if got.line else None, got.to_case_team) == (line_pk, case_team)
    assert suggest(checked, lines, BOOK) == got


class CountingLine:
    """A line that counts how often its name is read: scoring or sorting a line reads it."""

    def __init__(self, pk: int, name: str, indications: list[str]) -> None:
        self.pk, self._name, self.indications, self.reads = pk, name, indications, 0

    @property
    def name(self) -> str:
        self.reads += 1
        return self._name


def test_a_line_that_shares_no_checked_indication_is_not_looked_at():
    shared, other = CODES[0], CODES[1]
    fits = CountingLine(1, "fits", [shared])
    others = [CountingLine(n, f"other {n}", [other]) for n in range(2, 40)]
    index = LineIndex([fits, *others], BOOK)  # type: ignore[list-item]
    assert index.suggest([shared]).line is fits
    assert sum(line.reads for line in others) == 0
