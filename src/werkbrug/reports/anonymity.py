"""k-anonymity for the research export (k = 5; docs/reports.md, "Research export").

The quasi-identifiers are the person's own attributes that someone who knows the person can know
too: birth year, gender, sub-region and benefit status. Every combination of them that the export
shows must be shared by at least K different persons (pseudonyms, not lines: one person with two
trajectories is still one person).

Generalisation is local and class by class: all lines start exact; the lines of a combination
shared by fewer than K persons move one step up the ladder below, together; what is still too rare
after the last step is left out and counted. Since the lines of one exact combination always move
together, each exact combination ends at one published combination, and each published
combination holds the lines of at least K persons.

`decide` makes that decision from counts alone (per exact combination: its lines, its persons found
in no other exact combination, and the few persons found in several), which one aggregate statement
gives (reports.research_sql); `anonymise` applies it to lines in Python (reports.research).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

K = 5
# What a value that is no longer shown reads as: for the sub-region, "any sub-region of the network".
HIDDEN = "*"
QUASI_IDENTIFIERS = ("birth_year", "gender", "subregion", "benefit_status")

QI = tuple[str, str, str, str]


def band(year: str, width: int) -> str:
    start = int(year) - int(year) % width
    return f"{start}-{start + width - 1}"


# The ladder: each step generalises one more thing; a step's values can never equal another step's
# (an exact year has no dash; a 5-year band ends in 4 or 9 after a start in 0 or 5, a 10-year band
# starts in 0 and ends in 9; "*" is no sub-region, gender or benefit status).
LADDER: tuple[Callable[[QI], QI], ...] = (
    lambda q: q,
    lambda q: (band(q[0], 5), q[1], q[2], q[3]),
    lambda q: (band(q[0], 10), q[1], q[2], q[3]),
    lambda q: (band(q[0], 10), q[1], HIDDEN, q[3]),
    lambda q: (band(q[0], 10), q[1], HIDDEN, HIDDEN),
    lambda q: (band(q[0], 10), HIDDEN, HIDDEN, HIDDEN),
)


@dataclass(frozen=True)
class Anonymised:
    rows: list[list[object]]
    suppressed: int  # lines left out because even the last step left them with fewer than K persons


@dataclass(frozen=True)
class Combination:
    """What the decision needs to know of the lines of one exact combination of quasi-identifiers:
    how many lines, how many persons have lines in no other exact combination, and which persons
    (any stable identity: pseudonym or person key) also have lines in another one. A person's
    records at two organisations can differ in, say, the sub-region; counted once in a class all the
    same."""

    lines: int
    persons: int
    shared: frozenset[str] = frozenset()


def decide(combinations: Mapping[QI, Combination], k: int = K) -> dict[QI, QI]:
    """For each exact combination that can be shown, the combination it is shown as; the ones
    missing are left out. Class by class up the LADDER: the exact combinations that share a step's
    combination are published together once they hold at least `k` persons."""
    published: dict[QI, QI] = {}
    pending = list(combinations)
    for step in LADDER:
        classes: dict[QI, list[QI]] = defaultdict(list)
        for exact in pending:
            classes[step(exact)].append(exact)
        pending = []
        for combination, members in classes.items():
            found = [combinations[member] for member in members]
            shared = [c.shared for c in found if c.shared]
            persons = sum(c.persons for c in found) + (len(frozenset().union(*shared)) if shared else 0)
            if persons >= k:
                published.update(dict.fromkeys(members, combination))
            else:
                pending.extend(members)
        if not pending:
            break
    return published


def combinations_of(exact: Sequence[QI], persons: Sequence[str]) -> dict[QI, Combination]:
    """The Combination of each exact combination, from the lines' exact combinations and persons."""
    seen: dict[str, set[QI]] = defaultdict(set)
    lines: dict[QI, int] = defaultdict(int)
    for qi, person in zip(exact, persons, strict=True):
        seen[person].add(qi)
        lines[qi] += 1
    single: dict[QI, int] = defaultdict(int)
    shared: dict[QI, set[str]] = defaultdict(set)
    for person, found in seen.items():
        if len(found) == 1:
            single[next(iter(found))] += 1
        else:
            for qi in found:
                shared[qi].add(person)
    return {qi: Combination(count, single[qi], frozenset(shared[qi])) for qi, count in lines.items()}


def anonymise(rows: Sequence[list[object]], columns: Sequence[str], k: int = K) -> Anonymised:
    """The rows (in their order) with the quasi-identifiers generalised until each combination holds
    at least `k` persons (`decide`); the first column is the person's pseudonym."""
    at = [columns.index(name) for name in QUASI_IDENTIFIERS]
    person = columns.index("person")
    exact: list[QI] = [(str(r[at[0]]), str(r[at[1]]), str(r[at[2]]), str(r[at[3]])) for r in rows]
    published = decide(combinations_of(exact, [str(r[person]) for r in rows]), k)
    out = []
    for qi, row in zip(exact, rows, strict=True):
        if qi in published:
            line = list(row)
            for column, value in zip(at, published[qi], strict=True):
                line[column] = value
            out.append(line)
    return Anonymised(rows=out, suppressed=len(rows) - len(out))
