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
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
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


def anonymise(rows: Sequence[list[object]], columns: Sequence[str], k: int = K) -> Anonymised:
    """The rows (in their order) with the quasi-identifiers generalised until each combination holds
    at least `k` persons; the first column is the person's pseudonym."""
    at = [columns.index(name) for name in QUASI_IDENTIFIERS]
    person = columns.index("person")
    exact: list[QI] = [(str(r[at[0]]), str(r[at[1]]), str(r[at[2]]), str(r[at[3]])) for r in rows]
    published: dict[int, QI] = {}
    pending = list(range(len(rows)))
    for step in LADDER:
        classes: dict[QI, list[int]] = defaultdict(list)
        for index in pending:
            classes[step(exact[index])].append(index)
        pending = []
        for combination, members in classes.items():
            if len({rows[i][person] for i in members}) >= k:
                published.update(dict.fromkeys(members, combination))
            else:
                pending.extend(members)
        if not pending:
            break
    out = []
    for index, row in enumerate(rows):
        if index in published:
            line = list(row)
            for column, value in zip(at, published[index], strict=True):
                line[column] = value
            out.append(line)
    return Anonymised(rows=out, suppressed=len(pending))
