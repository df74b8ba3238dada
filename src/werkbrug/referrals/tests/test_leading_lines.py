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


def test_the_leading_lines_suggest_what_every_line_suggests(many_lines):
    every = list(many_lines)
    leading = leading_lines(("test", 1), lambda: many_lines)
    assert len(leading) < len(every) / 2  # it reads fewer rows: two lines a set of indications
    assert {line.pk for line in leading} <= {line.pk for line in every}
    book = published()
    index = LineIndex(leading)
    seen = set()
    for n in range(4):
        for checked in itertools.combinations(CODES, n):
            full = suggest(list(checked), every, book)
            choice = index.choose(list(checked), book)
            assert (choice.line and choice.line.pk, choice.to_case_team) == (
                full.line and full.line.pk,
                full.to_case_team,
            ), checked
            seen.add((full.line is not None, full.to_case_team))
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
