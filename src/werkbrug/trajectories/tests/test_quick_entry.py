"""The one-line contact entry: what a coach types and how it is read."""

from __future__ import annotations

import datetime

import pytest

from werkbrug.trajectories.models import ContactKind
from werkbrug.trajectories.quick_entry import QuickEntryError, describe, parse, parse_duration

TODAY = datetime.date(2025, 11, 20)


def test_phone_with_minutes_and_note_is_read_from_one_line():
    entry = parse("tel 15 belde over vacature", TODAY)
    assert entry.kind == ContactKind.PHONE
    assert entry.duration_minutes == 15
    assert entry.note == "belde over vacature"
    assert entry.on == TODAY
    assert not entry.informal


def test_informal_talk_in_the_corridor_is_an_informal_face_to_face_contact():
    entry = parse("informeel gesprek in de gang", TODAY)
    assert entry.kind == ContactKind.FACE_TO_FACE
    assert entry.informal
    assert entry.note == "in de gang"
    assert entry.duration_minutes is None


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("tel kort", ContactKind.PHONE),
        ("phone short call", ContactKind.PHONE),
        ("gebeld ok", ContactKind.PHONE),
        ("mail cv gestuurd", ContactKind.EMAIL),
        ("e-mail cv sent", ContactKind.EMAIL),
        ("huisbezoek kennismaking", ContactKind.HOME_VISIT),
        ("home first visit", ContactKind.HOME_VISIT),
        ("werkgever Bakkerij Jansen", ContactKind.EMPLOYER),
        ("employer visit", ContactKind.EMPLOYER),
        ("trio met psychiater", ContactKind.THREE_WAY),
        ("three-way with the GP", ContactKind.THREE_WAY),
        ("gesprek over motivatie", ContactKind.FACE_TO_FACE),
        ("f2f motivation", ContactKind.FACE_TO_FACE),
        ("poging geen gehoor", ContactKind.OUTREACH_ATTEMPT),
        ("attempt no answer", ContactKind.OUTREACH_ATTEMPT),
        ("TEL: hoofdletters", ContactKind.PHONE),
    ],
)
def test_dutch_and_english_keywords_set_the_kind(line, kind):
    assert parse(line, TODAY).kind == kind


def test_a_line_without_keyword_is_a_face_to_face_contact_with_the_whole_line_as_note():
    entry = parse("vacature besproken bij werkgever Jansen", TODAY)
    assert entry.kind == ContactKind.FACE_TO_FACE
    assert entry.note == "vacature besproken bij werkgever Jansen"


def test_an_unambiguous_verb_anywhere_sets_the_kind_but_stays_in_the_note():
    entry = parse("moeder gebeld over afspraak", TODAY)
    assert entry.kind == ContactKind.PHONE
    assert entry.note == "moeder gebeld over afspraak"


def test_a_date_prefix_without_year_is_this_year():
    entry = parse("12/11 huisbezoek 45 kennismaking", TODAY)
    assert entry.on == datetime.date(2025, 11, 12)
    assert entry.kind == ContactKind.HOME_VISIT
    assert entry.duration_minutes == 45
    assert entry.note == "kennismaking"


def test_a_day_without_year_that_lies_ahead_means_last_year():
    assert parse("28/12 tel", datetime.date(2026, 1, 5)).on == datetime.date(2025, 12, 28)


def test_a_date_with_year_is_taken_as_is_even_in_the_future():
    # The action refuses a future contact with a clear message; the parser does not guess.
    assert parse("12/11/2026 tel", TODAY).on == datetime.date(2026, 11, 12)
    assert parse("3-2-25 mail", TODAY).on == datetime.date(2025, 2, 3)


def test_relative_days_are_understood():
    assert parse("gisteren tel", TODAY).on == TODAY - datetime.timedelta(days=1)
    assert parse("yesterday phone", TODAY).on == TODAY - datetime.timedelta(days=1)
    assert parse("eergisteren gesprek", TODAY).on == TODAY - datetime.timedelta(days=2)


def test_an_impossible_date_is_refused_with_a_message():
    with pytest.raises(QuickEntryError):
        parse("31/02 tel", TODAY)


def test_an_empty_line_is_refused():
    with pytest.raises(QuickEntryError):
        parse("   ", TODAY)


def test_prefix_parts_come_in_any_order():
    entry = parse("tel 12/11 20min informeel over planning", TODAY)
    assert (entry.kind, entry.on, entry.duration_minutes, entry.informal) == (
        ContactKind.PHONE,
        datetime.date(2025, 11, 12),
        20,
        True,
    )
    assert entry.note == "over planning"


def test_only_the_first_number_is_the_duration():
    entry = parse("tel 10 3 vacatures doorgestuurd", TODAY)
    assert entry.duration_minutes == 10
    assert entry.note == "3 vacatures doorgestuurd"


@pytest.mark.parametrize(
    ("token", "minutes"),
    [
        ("15", 15),
        ("15min", 15),
        ("45'", 45),
        ("1u", 60),
        ("1,5u", 90),
        ("2h", 120),
        ("1u30", 90),
        ("0", None),
        ("2000", None),
        ("1u75", None),
        ("vacature", None),
    ],
)
def test_durations_in_minutes_and_hours(token, minutes):
    assert parse_duration(token) == minutes


def test_a_line_of_only_keywords_has_an_empty_note():
    entry = parse("poging", TODAY)
    assert entry.kind == ContactKind.OUTREACH_ATTEMPT
    assert entry.note == ""


def test_the_confirmation_says_how_the_line_was_read():
    text = describe(parse("12/11 tel 15 informeel", TODAY))
    assert "12/11/2025" in text
    assert "15" in text


@pytest.mark.parametrize(
    ("text", "kind", "minutes", "informal"),
    [
        ("tél 10 a appelé pour une offre", "phone", 10, False),
        ("tentative pas de réponse", "outreach_attempt", None, False),
        ("employeur 30 visite de l'atelier", "employer", 30, False),
        ("informel entretien dans le couloir", "face_to_face", None, True),
    ],
)
def test_french_keywords_are_understood_too(text, kind, minutes, informal):
    parsed = parse(text, datetime.date(2026, 11, 20))
    assert (parsed.kind, parsed.duration_minutes, parsed.informal) == (kind, minutes, informal)
