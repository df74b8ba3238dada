"""Small-cell suppression: core.suppression.protect and reports.framework.apply_suppression on their
own, then end to end: what the funder downloads, in every format, gives no hidden count away by
subtraction, and a chart never draws a hidden value."""

from __future__ import annotations

import re
from collections import OrderedDict
from io import BytesIO

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from werkbrug.core import suppression
from werkbrug.core.suppression import protect, suppress
from werkbrug.network.models import TrajectoryType
from werkbrug.reports.framework import (
    LABEL,
    PERCENT,
    SECONDARY,
    SMALL,
    STAT,
    Column,
    Row,
    Section,
    apply_suppression,
)
from werkbrug.reports.tests import report_data as rd

# --- protect() -------------------------------------------------------------------------------------


def test_counts_from_one_to_four_are_hidden_and_five_and_zero_are_shown():
    cells = {"zero": 0, "one": 1, "four": 4, "five": 5, "many": 120}
    assert protect(cells, []) == {"one", "four"}
    assert [suppress(n) for n in (0, 1, 4, 5)] == ["0", "<5", "<5", "5"]


def test_a_total_with_exactly_one_hidden_part_gets_a_second_part_hidden():
    cells = {"total": 20, "a": 3, "b": 8, "c": 9}
    hidden = protect(cells, [("total", ["a", "b", "c"])])
    # The smallest visible part goes, not the total: a reader needs totals most.
    assert hidden == {"a", "b"}


def test_a_total_with_two_hidden_parts_needs_nothing_more():
    cells = {"total": 20, "a": 3, "b": 2, "c": 15}
    assert protect(cells, [("total", ["a", "b", "c"])]) == {"a", "b"}


def test_zeros_are_never_hidden_even_to_protect_another_cell():
    cells = {"total": 10, "a": 3, "zero": 0, "b": 7}
    assert protect(cells, [("total", ["a", "zero", "b"])]) == {"a", "b"}


def test_secondary_suppression_carries_over_to_every_relation_a_cell_is_in():
    # A table of two rows and two columns with row and column totals: hiding the small cell takes
    # its row partner, which in turn needs a partner in its column, and so on.
    cells = {"r1c1": 2, "r1c2": 10, "r1": 12, "r2c1": 8, "r2c2": 9, "r2": 17, "c1": 10, "c2": 19, "all": 29}
    relations = [
        ("r1", ["r1c1", "r1c2"]),
        ("r2", ["r2c1", "r2c2"]),
        ("c1", ["r1c1", "r2c1"]),
        ("c2", ["r1c2", "r2c2"]),
        ("all", ["r1", "r2"]),
        ("all", ["c1", "c2"]),
    ]
    hidden = protect(cells, relations)
    assert hidden >= {"r1c1"}
    for total, parts in relations:
        unknown = [key for key in (total, *parts) if key in hidden]
        assert len(unknown) != 1, (total, parts, hidden)


def test_a_small_hidden_complement_hides_a_visible_partner_but_is_never_reported():
    # 9 people, 7 with GGZ contact: the 2 without must not be derivable.
    cells = {"active": 9, "ggz": 7, "no_ggz": 2}
    hidden = protect(cells, [("active", ["ggz", "no_ggz"])], hidden={"no_ggz"})
    assert hidden == {"ggz"}


def test_a_hidden_complement_that_is_not_small_hides_nothing():
    cells = {"active": 20, "ggz": 7, "no_ggz": 13}
    assert protect(cells, [("active", ["ggz", "no_ggz"])], hidden={"no_ggz"}) == set()


def test_a_cell_shared_by_two_relations_is_one_cell():
    # "t" is the total of one table and a part of another (the same figure under two breakdowns).
    cells = {"t": 10, "a": 2, "b": 8, "u": 12, "x": 2}
    hidden = protect(cells, [("t", ["a", "b"]), ("u", ["t", "x"])])
    assert hidden == {"a", "b", "x", "t"}


def _tables():
    """Random tables as reports build them: rows with two parts, a share's hidden complement per row,
    and a total row over the rows."""
    counts = st.integers(min_value=0, max_value=12)
    return st.lists(st.tuples(counts, counts, counts), min_size=1, max_size=6)


def _linked_table(rows):
    """Rows (a, b, shared) as cells and relations: n = a + b, a = shared + a hidden rest, and totals."""
    cells: dict[object, int] = {}
    relations: list[tuple[object, list[object]]] = []
    hidden: set[object] = set()
    for i, (a, b, shared) in enumerate(rows):
        shared = min(shared, a)  # a part of `a`, shown as a share of it
        cells |= {("a", i): a, ("b", i): b, ("n", i): a + b, ("s", i): shared, ("rest", i): a - shared}
        hidden.add(("rest", i))
        relations += [(("n", i), [("a", i), ("b", i)]), (("a", i), [("s", i), ("rest", i)])]
    for column in ("a", "b", "n", "s"):
        cells[(column, "total")] = sum(cells[(column, i)] for i in range(len(rows)))
        relations.append(((column, "total"), [(column, i) for i in range(len(rows))]))
    relations.append((("n", "total"), [("a", "total"), ("b", "total")]))
    return cells, relations, hidden


@settings(max_examples=300, deadline=None)
@given(rows=_tables())
def test_leaving_out_relations_that_can_give_nothing_away_changes_nothing(rows):
    cells, relations, hidden = _linked_table(rows)

    pruned = protect(cells, relations, hidden=hidden)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(suppression, "_useful", lambda members, cells, never_shown: members)
        patch.setattr(suppression, "_DECIDED", OrderedDict())  # audit again, not the answer kept above
        assert protect(cells, relations, hidden=hidden) == pruned


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.sampled_from([0, 5, 6, 9, 17, 40]), st.sampled_from([0, 5, 7, 12, 33]), st.booleans()),
        min_size=1,
        max_size=6,
    )
)
def test_without_a_small_count_protect_hides_nothing(rows):
    # apply_suppression() calls protect() only when some cell is from 1 to 4 (reports.framework).
    cells, relations, hidden = _linked_table([(a, b, a if all_shared else 0) for a, b, all_shared in rows])
    assert not any(0 < value < 5 for value in cells.values())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(suppression, "_DECIDED", OrderedDict())
        assert protect(cells, relations, hidden=hidden) == set()


def test_apply_suppression_of_a_table_without_small_counts_changes_nothing():
    table = section("t", [Row("a", {"n": 0}), Row("b", {"n": 5}), Row("c", {"n": 0})], Row("Total", {"n": 5}))
    apply_suppression([table])
    assert values(table) == [0, 5, 0, 5]


# --- apply_suppression() over sections ------------------------------------------------------------


def section(key: str, rows: list[Row], total: Row | None = None, **extra) -> Section:
    columns = extra.pop(
        "columns",
        [Column("label", "", LABEL), Column("n", "n")],
    )
    return Section(key=key, title=key, columns=columns, rows=rows, total=total, **extra)


def values(section: Section, column: str = "n") -> list[object]:
    return [row.values.get(column) for row in section.all_rows]


def test_apply_suppression_hides_a_small_row_and_a_second_row_but_keeps_the_total():
    table = section(
        "t", [Row("a", {"n": 3}), Row("b", {"n": 40}), Row("c", {"n": 12})], Row("Total", {"n": 55})
    )
    apply_suppression([table])
    assert values(table) == [SMALL, 40, SECONDARY, 55]


def test_apply_suppression_shows_zeros():
    table = section("t", [Row("a", {"n": 0}), Row("b", {"n": 40})], Row("Total", {"n": 40}))
    apply_suppression([table])
    assert values(table) == [0, 40, 40]


def test_rows_that_do_not_add_up_are_only_suppressed_when_small():
    # One person can be in several rows: the total is not their sum, so nothing can be subtracted.
    table = section("t", [Row("a", {"n": 3}), Row("b", {"n": 9})], Row("Total", {"n": 10}), rows_add_up=False)
    apply_suppression([table])
    assert values(table) == [SMALL, 9, 10]


SHARE_COLUMNS = [
    Column("label", "", LABEL),
    Column("active", "active"),
    Column("ggz", "ggz"),
    Column("ggz_share", "% ggz", PERCENT, part="ggz", whole="active"),
    Column("median", "median", STAT, basis="ggz"),
]


def share_row(label: str, active: int, ggz: int) -> Row:
    return Row(
        label, {"active": active, "ggz": ggz, "ggz_share": round(100 * ggz / active, 1), "median": 4.5}
    )


def test_a_share_over_a_hidden_count_and_a_statistic_over_it_are_hidden():
    table = section("t", [share_row("a", 30, 3)], columns=SHARE_COLUMNS)
    apply_suppression([table])
    row = table.rows[0].values
    assert (row["active"], row["ggz"], row["ggz_share"], row["median"]) == (
        30,
        SMALL,
        SECONDARY,
        SECONDARY,
    )


def test_a_small_complement_hides_the_share_and_one_of_its_counts():
    # 9 active, 7 with GGZ contact: "77.8 %" and either count would give away the 2 without.
    table = section("t", [share_row("a", 9, 7)], columns=SHARE_COLUMNS)
    apply_suppression([table])
    row = table.rows[0].values
    assert row["ggz_share"] is SECONDARY
    # Neither count is small: the one hidden to protect the 2 is "\u00d7", never "<5".
    assert (row["active"], row["ggz"]) == (9, SECONDARY)


def test_a_share_with_large_parts_and_complement_is_shown():
    table = section("t", [share_row("a", 30, 12)], columns=SHARE_COLUMNS)
    apply_suppression([table])
    assert table.rows[0].values == {"active": 30, "ggz": 12, "ggz_share": 40.0, "median": 4.5}


def test_a_declared_subset_protects_its_complement():
    columns = [Column("label", "", LABEL), Column("active", "active"), Column("started", "started")]
    table = section(
        "t", [Row("a", {"active": 20, "started": 17})], columns=columns, subsets=(("started", "active"),)
    )
    apply_suppression([table])
    assert table.rows[0].values == {"active": 20, "started": SECONDARY}


def test_a_partition_of_a_row_protects_its_parts():
    columns = [
        Column("label", "", LABEL),
        Column("all", "all"),
        Column("men", "men"),
        Column("women", "women"),
    ]
    table = section(
        "t",
        [Row("a", {"all": 20, "men": 3, "women": 17})],
        columns=columns,
        partitions=(("all", ("men", "women")),),
    )
    apply_suppression([table])
    assert table.rows[0].values == {"all": 20, "men": SMALL, "women": SECONDARY}


def test_a_total_shared_by_two_sections_is_hidden_in_both_or_in_neither():
    # Section A's total (10) is a row of section B. B must hide it next to its small row; A, which
    # shows it as its total, must then hide it too, or B's hidden row could be read off A.
    a = section("a", [Row("a1", {"n": 2}), Row("a2", {"n": 8})], Row("Total", {"n": 10}, keys={"n": "ten"}))
    b = section("b", [Row("b1", {"n": 10}, keys={"n": "ten"}), Row("b2", {"n": 2})], Row("Total", {"n": 12}))
    apply_suppression([a, b])
    assert a.total is not None
    assert b.rows[0].values["n"] is SECONDARY
    assert a.total.values["n"] is SECONDARY
    assert values(b) == [SECONDARY, SMALL, 12]


def test_a_total_shared_by_two_sections_stays_visible_in_both_when_safe():
    a = section("a", [Row("a1", {"n": 2}), Row("a2", {"n": 8})], Row("Total", {"n": 10}, keys={"n": "ten"}))
    b = section("b", [Row("b1", {"n": 4}), Row("b2", {"n": 6})], Row("Total", {"n": 10}, keys={"n": "ten"}))
    apply_suppression([a, b])
    assert values(a) == [SMALL, SECONDARY, 10]
    assert values(b) == [SMALL, SECONDARY, 10]


# --- end to end: the funder's downloads -------------------------------------------------------------


def test_the_differencing_checker_finds_a_lone_hidden_cell_under_a_visible_total():
    """The checker below can fail: one "<5" in a column whose total shows is found."""
    leaky = {"s": {"rows": {"a": {"n": "<5"}, "b": {"n": 9}}, "total": {"n": 12}}}
    assert rd.recoverable_cells(leaky) == [("s", "n", "a")]
    safe = {"s": {"rows": {"a": {"n": "<5"}, "b": {"n": "<5"}, "c": {"n": 9}}, "total": {"n": 12}}}
    assert rd.recoverable_cells(safe) == []
    complement = {"s": {"rows": {}, "total": {"active": 9, "started": 7}}}
    assert rd.recoverable_cells(complement) == [("s", "Total", "active - started", 2)]


PARAM_SETS = [
    {"year": rd.YEAR},
    {"year": 2024},
    {"start": "2025-04-01", "end": "2025-09-30"},
]


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "html", "pdf"])
def test_no_hidden_count_can_be_worked_out_from_the_funders_report_in_any_format(data, login, fmt):
    client = login(data.net.funder)
    ips = TrajectoryType.objects.get(code="ips").pk
    suppressed_somewhere = False
    for params in [
        *PARAM_SETS,
        {"year": rd.YEAR, "organisation": data.net.sara.pk},
        {"year": rd.YEAR, "trajectory_type": ips},
    ]:
        response = client.get(reverse("reports:report", args=["yearly"]), {**params, "format": fmt})
        assert response.status_code == 200
        json_view = rd.from_json(
            client.get(reverse("reports:report", args=["yearly"]), {**params, "format": "json"}).json()
        )
        parsed = rd.read(fmt, response, json_view)
        assert rd.recoverable_cells(parsed) == [], params
        suppressed_somewhere |= any(
            set(rd.HIDDEN) & set(values.values())
            for s in parsed.values()
            for _label, values in rd.all_rows(s)
        )
    # The dataset does produce hidden cells, so the check above can fail.
    assert suppressed_somewhere


def test_the_funders_csv_and_xlsx_show_the_small_cell_mark_as_text(data, login):
    client = login(data.net.funder)
    csv = client.get(reverse("reports:report", args=["yearly"]), {"year": rd.YEAR, "format": "csv"})
    assert ",<5," in csv.content.decode()
    xlsx = client.get(reverse("reports:report", args=["yearly"]), {"year": rd.YEAR, "format": "xlsx"})
    workbook = load_workbook(BytesIO(xlsx.content))
    info = [cell for row in workbook.worksheets[0].iter_rows(values_only=True) for cell in row if cell]
    assert rd.LEGEND in info  # the explanation on the first sheet
    marks = [
        c
        for ws in workbook.worksheets[1:]
        for row in ws.iter_rows(values_only=True)
        for c in row
        if c == "<5"
    ]
    assert marks


def bars(svg: list[tuple[str, object]]) -> tuple[list[float], list[str]]:
    """The widths of the bars (not the legend's squares) and the texts of an SVG chart."""
    widths = [
        float(attributes["width"])  # type: ignore[index]
        for tag, attributes in svg
        if tag == "rect" and attributes.get("height") != "10"  # type: ignore[union-attr]
    ]
    texts = [str(data).strip() for tag, data in svg if tag == "#text"]
    return widths, texts


def test_a_hidden_value_gets_no_bar_in_the_funders_charts(data, login):
    page = login(data.net.funder).get(reverse("reports:report", args=["yearly"]), {"year": rd.YEAR})
    sections = rd.html_sections(page.content.decode())
    charted = {"subregion": ("active", "started"), "outcomes": ("n",)}
    expected = rd.expected_yearly(rd.SPECS, with_organisations=True)
    parsed = rd.from_html(page.content.decode())
    seen_hidden = 0
    for key, columns in charted.items():
        (svg,) = sections[key]["svg"]
        widths, texts = bars(svg)
        shown = [parsed[key]["rows"][label][column] for label in expected[key]["rows"] for column in columns]
        visible = [v for v in shown if v not in rd.HIDDEN]
        hidden = len(shown) - len(visible)
        seen_hidden += hidden
        # One bar per visible value, none for a hidden one; its mark is written instead.
        assert len(widths) == len(visible), key
        assert texts.count("<5") == shown.count(rd.SUPPRESSED), key
        assert texts.count("\u00d7") == shown.count(rd.SECONDARY), key
        assert texts.count("<5") + texts.count("\u00d7") == hidden, key
        # The bars are drawn to one scale: a width never stands for anything but its printed value.
        scale = {round(w / v, 6) for w, v in zip(widths, visible, strict=True) if v}
        assert len(scale) <= 1, key
        assert all(w == 0 for w, v in zip(widths, visible, strict=True) if not v), key
        numbers = [t for t in texts if re.fullmatch(r"\d+(\.\d+)?", t)]
        assert sorted(float(n) for n in numbers) == sorted(float(v) for v in visible), key
        assert not any(0 < float(n) < 5 for n in numbers), key
    assert seen_hidden > 0


def test_the_coordinator_sees_every_small_count_and_its_bar(data, login):
    page = login(data.net.coordinator).get(reverse("reports:report", args=["yearly"]), {"year": rd.YEAR})
    content = page.content.decode()
    assert "&lt;5" not in content.split("<main", 1)[-1]
    (svg,) = rd.html_sections(content)["subregion"]["svg"]
    widths, texts = bars(svg)
    assert len(widths) == 4  # two sub-regions, two columns
    assert "4" in texts  # Kempen: four trajectories


def test_a_small_type_cannot_be_recovered_through_an_organisation_that_alone_runs_it():
    # SaRA runs arbeidscoach (11) and IPS (4); GTB alone runs its own type (9). That is public
    # knowledge, so the empty cells of the type x organisation table are known too. Hiding IPS in
    # the type breakdown is then not enough: SaRA 15 - arbeidscoach 11 = IPS 4, or 24 - 11 - 9.
    cells = {"total": 24, "type:arb": 11, "type:ips": 4, "type:gtb": 9, "org:sara": 15, "org:gtb": 9}
    cross = {("arb", "sara"): 11, ("ips", "sara"): 4, ("gtb", "gtb"): 9}
    relations = [
        ("total", ["type:arb", "type:ips", "type:gtb"]),
        ("total", ["org:sara", "org:gtb"]),
        ("type:arb", [("arb", "sara")]),
        ("type:ips", [("ips", "sara")]),
        ("type:gtb", [("gtb", "gtb")]),
        ("org:sara", [("arb", "sara"), ("ips", "sara")]),
        ("org:gtb", [("gtb", "gtb")]),
    ]
    hidden = protect({**cells, **cross}, relations, hidden=cross)
    shown = set(cells) - hidden
    assert "type:ips" in hidden
    assert not {"org:sara", "type:arb"} <= shown
    assert not {"total", "type:arb", "type:gtb"} <= shown
    assert not {"total", "type:arb", "org:gtb"} <= shown
    # No more than needed: the grand total stays.
    assert "total" in shown
