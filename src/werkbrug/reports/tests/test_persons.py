"""Unique persons beside trajectories and referrals (issue 12, point 6), through the one stored linkage
key (clients.linkage): a person with a trajectory at two organisations, with an INSZ at one and none
at the other, counts once in the network and once in each organisation's row, in the yearly report,
the caseload and the funnel; editing a record re-links the others; the stored keys hold no INSZ."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from werkbrug.clients import actions as client_actions
from werkbrug.clients.linkage import link_all
from werkbrug.clients.models import Client
from werkbrug.network.models import Role
from werkbrug.privacy.actions import erase_client
from werkbrug.privacy.models import ErasureRequest
from werkbrug.reports.tests import report_data as rd
from werkbrug.reports.tests.test_research_export import ANNA, ANNA_INSZ, trajectory_for
from werkbrug.testing import actor_for, client_of, make_user, valid_insz


def others(n: int, prefix: str) -> list[dict[str, object]]:
    """`n` persons of their own: another name each, half of them with an INSZ."""
    made = []
    for number in range(n):
        born = datetime.date(1970 + number, 3, 1 + number)
        # The serial number differs per prefix: the same birth date and serial would be one INSZ.
        serial = 100 + 10 * (sum(map(ord, prefix)) % 80) + number
        insz = valid_insz(born, f"{serial:03d}") if number % 2 else ""
        made.append(
            {"first_name": f"{prefix}{number}", "last_name": "Telling", "birth_date": born, "insz": insz}
        )
    return made


@pytest.fixture
def records(frozen, net):
    """(organisation, person, fields) of every record, each with one trajectory active in 2025: Anna
    with an INSZ at SaRA and without one (other case and accents) at GTB, and five other persons at
    each organisation, so that no count is small for the funder."""
    made = [
        (rd.SARA, "anna", {**ANNA, "insz": ANNA_INSZ}),
        (rd.GTB, "anna", {**ANNA, "first_name": "ANNA-LIËS", "last_name": "van den  Broeck"}),
    ]
    made += [(rd.SARA, fields["first_name"], fields) for fields in others(5, "Sara")]
    made += [(rd.GTB, fields["first_name"], fields) for fields in others(5, "Gtb")]
    for org, _person, fields in made:
        if org == rd.SARA:
            trajectory_for(net, fields, by=net.care, line=net.coach_line)
        else:
            trajectory_for(net, fields, by=net.outsider, line=net.gtb_line)
    return made


def expected(records, org: str | None = None) -> tuple[int, int]:
    """(records, persons) from the data as created: a person is the name given to them above."""
    rows = [person for where, person, _fields in records if org in (None, where)]
    return len(rows), len(set(rows))


def sections(response) -> dict[str, dict]:
    assert response.status_code == 200, response.content[:300]
    return {section["key"]: section for section in response.json()["sections"]}


def rows_by_label(section: dict) -> dict[str, dict]:
    return {row["label"]: row for row in section["rows"]}


def test_the_person_counts_once_in_the_network_and_once_in_each_organisation_in_the_yearly_report(
    records, net
):
    response = client_of(net.funder).get(
        reverse("reports:report", args=["yearly"]), {"year": rd.YEAR, "format": "json"}
    )
    shown = sections(response)
    trajectories, persons = expected(records)
    assert (trajectories, persons) == (12, 11)
    total = shown["summary"]["total"]
    assert (total["active"], total["persons"]) == (trajectories, persons)
    per_org = rows_by_label(shown["organisation"])
    for org in (rd.SARA, rd.GTB):
        assert (per_org[org]["active"], per_org[org]["persons"]) == expected(records, org) == (6, 6)
    # The rows do not add up to the total: Anna is in both.
    assert sum(row["persons"] for row in per_org.values()) == persons + 1
    # The same total under every breakdown.
    for key in ("gender", "subregion", "type", "organisation"):
        assert shown[key]["total"]["persons"] == persons


def test_the_yearly_report_shows_men_and_women_as_a_share_of_the_trajectories(records, net):
    response = client_of(net.funder).get(
        reverse("reports:report", args=["yearly"]), {"year": rd.YEAR, "format": "json"}
    )
    gender = sections(response)["gender"]
    # Every record here was registered as a man (the default of net.new_client).
    assert Client.objects.filter(gender="M").count() == len(records)
    assert rows_by_label(gender)["man"]["gender_share"] == 100.0
    assert gender["total"]["gender_share"] == 100.0


def test_the_caseload_counts_the_person_once_in_the_network_and_once_per_organisation(records, net):
    response = client_of(net.funder).get(reverse("reports:report", args=["caseload"]), {"format": "json"})
    shown = sections(response)["organisations"]
    trajectories, persons = expected(records)
    assert (shown["total"]["open"], shown["total"]["persons"]) == (trajectories, persons)
    per_org = rows_by_label(shown)
    assert (per_org["SaRA Arbeidscoaching"]["open"], per_org["SaRA Arbeidscoaching"]["persons"]) == expected(
        records, rd.SARA
    )
    assert (per_org["GTB Antwerpen"]["open"], per_org["GTB Antwerpen"]["persons"]) == expected(
        records, rd.GTB
    )


def test_the_funnel_counts_the_person_referred_to_two_lines_once(records, net):
    response = client_of(net.funder).get(
        reverse("reports:report", args=["funnel"]), {"year": rd.YEAR, "format": "json"}
    )
    shown = sections(response)
    referrals, persons = expected(records)
    assert (shown["summary"]["total"]["referrals"], shown["summary"]["total"]["persons"]) == (
        referrals,
        persons,
    )
    per_line = rows_by_label(shown["line"])
    assert (per_line["SaRA arbeidscoach"]["referrals"], per_line["SaRA arbeidscoach"]["persons"]) == (6, 6)
    assert (
        per_line["GTB trajectbegeleiding"]["referrals"],
        per_line["GTB trajectbegeleiding"]["persons"],
    ) == (
        6,
        6,
    )


def test_a_coordinator_sees_the_persons_of_their_own_organisation_only(records, net):
    response = client_of(net.coordinator).get(
        reverse("reports:report", args=["yearly"]), {"year": rd.YEAR, "format": "json"}
    )
    total = sections(response)["summary"]["total"]
    assert (total["active"], total["persons"]) == expected(records, rd.SARA)


def test_small_person_counts_are_hidden_from_the_funder(frozen, net):
    for fields in others(3, "Klein"):
        trajectory_for(net, fields, by=net.care, line=net.coach_line)
    response = client_of(net.funder).get(
        reverse("reports:report", args=["yearly"]), {"year": rd.YEAR, "format": "json"}
    )
    assert sections(response)["summary"]["total"]["persons"] == "<5"


# --- keeping the key as records change ----------------------------------------------------------------


def persons() -> int:
    """The persons by their key; and every record's number is the lowest id among the records of its
    person (computed here from the keys), so counting numbers counts the same persons."""
    records = list(Client.objects.values_list("pk", "person_key", "person_number"))
    lowest: dict[str, int] = {}
    for pk, key, _number in sorted(records):
        lowest.setdefault(key, pk)
    assert {pk: number for pk, _key, number in records} == {pk: lowest[key] for pk, key, _n in records}
    return len(lowest)


def test_adding_an_insz_later_relinks_the_records_without_one(frozen, net):
    """Anna without an INSZ at SaRA and at GTB: one person by name. Then an INSZ is added at SaRA:
    the record at GTB follows it (the only INSZ under that name), so she stays one person."""
    at_sara = trajectory_for(net, ANNA, by=net.care, line=net.coach_line).client
    trajectory_for(net, {**ANNA, "first_name": "anna-liés"}, by=net.outsider, line=net.gtb_line)
    # And another spelling with the INSZ at GTB, which only the INSZ can link.
    elsewhere = trajectory_for(
        net, {**ANNA, "first_name": "Annalies", "last_name": "Vandenbroeck", "insz": ANNA_INSZ},
        by=net.outsider, line=net.gtb_line,
    ).client  # fmt: skip
    assert persons() == 2
    client = Client.objects.get(pk=at_sara.pk)
    client.insz = ANNA_INSZ
    client_actions.update_client(actor_for(net.care), client, ["insz"])
    assert persons() == 1
    assert len({c.person_key for c in Client.objects.all()}) == 1
    # A second INSZ under her name makes the record without one a person of its own again.
    other = Client.objects.get(pk=elsewhere.pk)
    other.first_name, other.last_name, other.insz = (
        ANNA["first_name"],
        ANNA["last_name"],
        valid_insz(ANNA["birth_date"], "654"),
    )
    client_actions.update_client(actor_for(net.outsider), other, ["first_name", "last_name", "insz"])
    assert persons() == 3
    # The stored keys are what the whole-table rule (the migration, `relink_persons`) gives.
    assert link_all() == 0


def test_erasing_the_first_record_of_a_person_numbers_the_others_again(frozen, net):
    """Anna with her INSZ at SaRA (the lowest id, so her number) and at GTB: one person. Erasing the
    SaRA record gives it a person of its own, and the GTB record its own id as the number."""
    first = trajectory_for(net, {**ANNA, "insz": ANNA_INSZ}, by=net.care, line=net.coach_line).client
    second = trajectory_for(net, {**ANNA, "insz": ANNA_INSZ}, by=net.outsider, line=net.gtb_line).client
    assert persons() == 1
    assert Client.objects.get(pk=second.pk).person_number == first.pk
    officer = make_user("wim", net.network_org, Role.PRIVACY_OFFICER)
    erase_client(
        actor_for(officer),
        Client.objects.get(pk=first.pk),
        request=ErasureRequest(requested_by="the client", reason="asked"),
    )
    assert persons() == 2
    assert Client.objects.get(pk=second.pk).person_number == second.pk
    assert link_all() == 0


def test_the_stored_keys_hold_no_insz_or_name_in_clear(records):
    for client in Client.objects.all():
        for key in (client.person_key, client.name_key):
            assert re.fullmatch(r"[0-9a-f]{24}", key), key
            assert not client.insz or client.insz not in key
            assert client.first_name.lower() not in key


def test_a_persons_cell_is_hidden_with_the_count_beside_it(frozen, net):
    """Five men and two women: the men's trajectories are hidden to protect the women's, and their
    persons (also five, one trajectory each) with them, or they would give the five away. Both are
    secondary ("\u00d7"): five is not a count from 1 to 4."""
    for fields in others(5, "Man"):
        trajectory_for(net, {**fields, "gender": "M"}, by=net.care, line=net.coach_line)
    for fields in others(2, "Vrouw"):
        trajectory_for(net, {**fields, "gender": "F"}, by=net.care, line=net.coach_line)
    response = client_of(net.funder).get(
        reverse("reports:report", args=["yearly"]), {"year": rd.YEAR, "format": "json"}
    )
    gender = sections(response)["gender"]
    men, women = rows_by_label(gender)["man"], rows_by_label(gender)["woman"]
    assert (women["active"], women["persons"]) == ("<5", "<5")
    # Five is not small: hidden to protect the women, so "\u00d7", never "<5".
    assert (men["active"], men["persons"]) == ("\u00d7", "\u00d7")
    assert (gender["total"]["active"], gender["total"]["persons"]) == (7, 7)
