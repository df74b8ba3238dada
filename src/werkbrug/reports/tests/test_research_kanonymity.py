"""Property: for generated populations, the research export a researcher downloads holds every
combination of the quasi-identifiers (birth year, gender, sub-region, benefit status) for at least
five persons, counted from the CSV itself; every generalised value is true of the person's line it
stands for; the lines shown and the lines left out add up to the trajectories; a population whose
exact combinations all hold five persons is shown exactly."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from werkbrug.network.models import (
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationType,
    Role,
    SubRegion,
)
from werkbrug.reports.agreements import record_agreement
from werkbrug.reports.tests import report_data as rd
from werkbrug.testing import actor_for, client_of, make_user, valid_insz

from .test_research_export import download, left_out, lines, trajectory_for

QI = ("birth_year", "gender", "subregion", "benefit_status")
# The export shows the coded values as their labels (English in the tests).
GENDER = {"F": "woman", "M": "man", "X": "other / not stated"}
BENEFIT = {
    "none": "no benefit",
    "unemployment": "unemployment benefit (RVA)",
    "incapacity": "incapacity benefit (mutualiteit)",
}
REGIONS = ["Antwerpen-Noord", "Kempen", "Mechelen"]  # the first is the network's own (build_network)
PEOPLE = st.lists(
    st.fixed_dictionaries(
        {
            "year": st.integers(1960, 1979),
            "gender": st.sampled_from(["F", "M", "X"]),
            "region": st.sampled_from(REGIONS),
            "benefit": st.sampled_from(["none", "unemployment", "incapacity"]),
            # Registered a second time at another organisation, without an INSZ: the same person.
            "twice": st.booleans(),
        }
    ),
    max_size=30,
)


@contextmanager
def rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def consistent(shown: str, exact: str) -> bool:
    """A shown value is the exact one, a band that holds it, or "*"."""
    if shown in (exact, "*"):
        return True
    if "-" in shown and exact.isdigit():
        first, last = shown.split("-")
        return int(first) <= int(exact) <= int(last)
    return False


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=PEOPLE)
def test_every_exported_combination_of_quasi_identifiers_holds_at_least_five_persons(frozen, net, people):
    with rolled_back():
        regions = {name: SubRegion.objects.get_or_create(name=name)[0] for name in REGIONS}
        org = Organisation.objects.create(
            name="Onderzoek", kind=OrganisationKind.OTHER, org_type=OrganisationType.OTHER
        )
        researcher = make_user("researcher", org, Role.RESEARCHER)
        record_agreement(
            actor_for(net.admin),
            researcher=Membership.objects.get(user=researcher),
            project="Eigenschap",
            purpose="Test.",
            from_year=rd.YEAR,
            to_year=rd.YEAR,
            approved_on=datetime.date(2026, 1, 5),
            expires_on=datetime.date(2026, 12, 31),
        )
        # The exact quasi-identifiers of each trajectory, in the order they were started, and whose.
        made: list[tuple[int, tuple[str, str, str, str]]] = []
        for number, p in enumerate(people, start=1):
            birth = datetime.date(p["year"], 3, 1 + number % 28)
            fields = {
                "first_name": f"Persoon{number}",
                "last_name": "Eigenschap",
                "birth_date": birth,
                "gender": p["gender"],
                "subregion": regions[p["region"]],
                "benefit_status": p["benefit"],
            }
            exact = (str(p["year"]), GENDER[p["gender"]], p["region"], BENEFIT[p["benefit"]])
            trajectory_for(net, {**fields, "insz": valid_insz(birth, f"{number:03d}")}, by=net.care,
                           line=net.coach_line)  # fmt: skip
            made.append((number, exact))
            if p["twice"]:
                trajectory_for(
                    net, {**fields, "first_name": f"PERSOON{number}"}, by=net.outsider, line=net.gtb_line
                )
                made.append((number, exact))

        rows = lines(download(client_of(researcher))[1])
        suppressed = left_out()

    # k = 5 on every combination shown, in persons (pseudonyms) and so in lines too.
    persons: dict[tuple[str, ...], set[str]] = {}
    for row in rows:
        persons.setdefault(tuple(row[c] for c in QI), set()).add(row["person"])
    assert all(len(found) >= 5 for found in persons.values()), persons
    assert all(count >= 5 for count in Counter(tuple(row[c] for c in QI) for row in rows).values())
    # Shown and left out add up; the lines shown keep their order, each true of its own trajectory.
    assert len(rows) + suppressed == len(made)
    pending = iter(made)
    matched = []
    for row in rows:
        for number, exact in pending:
            if all(consistent(row[c], value) for c, value in zip(QI, exact, strict=True)):
                matched.append(number)
                break
        else:
            raise AssertionError(f"no trajectory left for {row}")
    # A person's lines share one pseudonym, and different persons differ.
    by_person: dict[int, set[str]] = {}
    for number, row in zip(matched, rows, strict=True):
        by_person.setdefault(number, set()).add(row["person"])
    assert all(len(pseudonyms) == 1 for pseudonyms in by_person.values())
    assert len({next(iter(p)) for p in by_person.values()}) == len(by_person)
    # Fewer than five persons: nothing can be shown. Every exact combination with five persons or
    # more: everything is shown exactly.
    exact_persons: dict[tuple[str, ...], set[int]] = {}
    for number, exact in made:
        exact_persons.setdefault(exact, set()).add(number)
    if len({number for number, _exact in made}) < 5:
        assert rows == []
    if all(len(numbers) >= 5 for numbers in exact_persons.values()):
        assert [tuple(row[c] for c in QI) for row in rows] == [exact for _number, exact in made]
