"""The inbox's line index reads only the lines a suggestion can lead with (`leading_lines`, issue 14):
its suggestions are those of every line of the network."""

from __future__ import annotations

import itertools
import random

import pytest

from werkbrug.network.indications import FIRST, published
from werkbrug.network.models import ReferralLine
from werkbrug.referrals.triage import LineIndex, leading_lines, suggest

CODES = list(FIRST)


@pytest.fixture
def many_lines(net):
    """Forty lines more, over a few sets of indications (some in another order, with repeats or
    empty), so that many lines share their indications, as in a network of hundreds of lines."""
    rng = random.Random(30)
    sets = [
        ["intensive_work"],
        ["whole_trajectory", "intensive_work"],
        ["intensive_work", "whole_trajectory"],
    ]
    sets += [rng.sample(CODES, rng.randint(0, 3)) for _ in range(5)] + [["shared_focus", "shared_focus"]]
    org = net.coach_line.organisation
    ReferralLine.objects.bulk_create(
        ReferralLine(
            name=f"line {rng.randint(0, 10**6):07d}-{n}", organisation=org, indications=rng.choice(sets)
        )
        for n in range(40)
    )
    return ReferralLine.objects.all()


def _decision(suggestion):
    """What a row of the inbox shows of a suggestion: the line's pk and whether the case team is."""
    return (suggestion.line and suggestion.line.pk, suggestion.to_case_team)


def test_the_leading_lines_suggest_what_every_line_suggests(many_lines):
    every = list(many_lines)
    leading = leading_lines(("test", 1), lambda: many_lines)
    assert len(leading) < len(every) / 2  # it reads fewer rows: two lines a set of indications
    assert {line.pk for line in leading} <= {line.pk for line in every}
    book = published()
    index = LineIndex(leading)
    cases = [list(checked) for n in range(4) for checked in itertools.combinations(CODES, n)]
    expected = {tuple(case): _decision(suggest(case, every, book)) for case in cases}
    assert {tuple(case): _decision(index.choose(case, book)) for case in cases} == expected
    seen = {(line is not None, to_case_team) for line, to_case_team in expected.values()}
    # The combinations reach a line alone, a tie (case team with a line) and no line.
    assert {(True, False), (True, True), (False, False)} <= seen


def test_the_first_line_by_name_of_a_set_leads(net):
    org = net.coach_line.organisation
    names = ["zz first?", "mm", "aa", "bb"]
    made = [
        ReferralLine.objects.create(name=name, organisation=org, indications=["work_attitudes"])
        for name in names
    ]
    rows = leading_lines(("test", 2), lambda: ReferralLine.objects.filter(pk__in=[line.pk for line in made]))
    assert sorted(line.name for line in rows) == ["aa", "bb"]
