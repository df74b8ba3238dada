"""core.rows: a list's links and fragments built once a page give what per-row work gives."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse

from werkbrug.core.rows import RowFragment, day, html_row, url_maker


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("referrals:detail", [(1,), (7,), (123456,)]),
        ("trajectories:detail", [(5,), (99,)]),
        ("trajectories:handover_accept", [(3, 4), (1000, 20)]),
    ],
)
def test_url_maker_gives_what_reverse_gives(name, args):
    make = url_maker(name, arity=len(args[0]))
    for values in args:
        assert make(*values) == reverse(name, args=values)


def test_url_maker_takes_only_numbers():
    make = url_maker("referrals:detail")
    with pytest.raises(ValueError):
        make("../admin")


def test_url_maker_refuses_a_url_without_arguments_where_it_expects_them():
    with pytest.raises(NoReverseMatch):
        url_maker("referrals:inbox")


def test_a_fragment_filled_per_row_is_the_fragment_rendered_per_row(rf, tmp_path, settings):
    source = '<a id="x{{ h.pk }}-name" href="/t/{{ h.trajectory_id }}/h/{{ h.pk }}/">{{ label }}</a>'
    (tmp_path / "frag.html").write_text(source)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    fragment = RowFragment("pk", "trajectory")
    stub = {"pk": fragment.standin("pk"), "trajectory_id": fragment.standin("trajectory")}
    request = rf.get("/")
    request.user = AnonymousUser()
    fragment.render("frag.html", {"h": stub, "label": "Jan & <Piet>"}, request)
    for pk, trajectory in [(1, 2), (40, 40), (12345, 7)]:
        expected = Template(source).render(
            Context({"h": {"pk": pk, "trajectory_id": trajectory}, "label": "Jan & <Piet>"})
        )
        assert fragment.fill(pk=pk, trajectory=trajectory) == expected


def test_stand_ins_differ_per_fragment_and_name():
    one, two = RowFragment("pk", "trajectory"), RowFragment("pk")
    numbers = {one.standin("pk"), one.standin("trajectory"), two.standin("pk")}
    assert len(numbers) == 3
    assert all(len(str(n)) == 18 for n in numbers)


def test_html_row_is_format_html():
    import datetime

    from django.utils.html import format_html
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext_lazy

    class Named:
        def __str__(self) -> str:
            return "<Zoë & 'co'>"

    template = '<tr><td a="{}">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>'
    values = ('"quoted"', Named(), mark_safe("<b>safe</b>"), None, 42, gettext_lazy("case team"), "é")
    assert html_row(template, *values) == format_html(template, *values)
    assert "&lt;Zoë &amp; &#x27;co&#x27;&gt;" in html_row(template, *values)
    assert html_row("{}", html_row("<i>{}</i>", "<")) == "<i>&lt;</i>"  # a row in a row is not escaped again
    assert day(datetime.date(2026, 1, 2)) == "02/01/2026" and day(None) == ""


def test_day_is_the_date_filter_on_the_local_day():
    import datetime

    from django.template import Context, Template
    from django.utils import timezone

    late = timezone.make_aware(datetime.datetime(2026, 3, 31, 23, 30), datetime.UTC)  # 1 April in Brussels
    shown = Template('{{ v|date:"d/m/Y" }}').render(Context({"v": late}))
    assert day(late) == shown == "01/04/2026"
