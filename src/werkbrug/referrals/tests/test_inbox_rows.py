"""The triage inbox's rows built once a page: lines indexed from plain rows (`IndexedLine`), the
suggestion without its wording (`LineIndex.choose`), links and labels built once."""

from __future__ import annotations

import itertools

from django.urls import reverse

from werkbrug.network.indications import FIRST, published
from werkbrug.referrals.models import Referral
from werkbrug.referrals.triage import IndexedLine, LineIndex, suggest


def test_choose_gives_the_line_and_case_team_of_the_full_suggestion(net):
    lines = [net.coach_line, net.gtb_line]
    plain = LineIndex([IndexedLine(line.pk, line.name, list(line.indications)) for line in lines])
    book = published()
    codes = list(FIRST)
    seen = set()
    for n in range(4):
        for checked in itertools.combinations(codes, n):
            full = suggest(list(checked), lines, book)
            choice = plain.choose(list(checked), book)
            assert (choice.line and choice.line.pk, choice.to_case_team) == (
                full.line and full.line.pk,
                full.to_case_team,
            ), checked
            assert plain.choose(list(checked), book) is choice  # remembered for the page
            seen.add((full.line and full.line.pk, full.to_case_team))
    # The combinations reach a line alone, the case team with and without a line.
    assert {(net.coach_line.pk, False), (net.gtb_line.pk, False), (None, True)} <= seen


def test_the_inbox_shows_each_row_as_before(net, login):
    urgent = net.refer(net.new_client(first_name="Urbain", last_name="Dringend"))
    Referral.objects.filter(pk=urgent.pk).update(urgency="urgent")
    normal = net.refer(net.new_client(first_name="Nora", last_name="Gewoon"))
    response = login(net.screener).get(reverse("referrals:inbox"))
    body = response.content.decode()
    for referral in (urgent, normal):
        referral.refresh_from_db()
        assert f'<a href="{reverse("referrals:detail", args=[referral.pk])}">{referral.client}</a>' in body
    assert (
        f'<span class="badge badge-alert">{Referral(urgency="urgent").get_urgency_display()}</span>' in body
    )
    assert f"<td>{Referral(status=normal.status).get_status_display()}</td>" in body
    rows = response.context["rows"]
    expected = suggest(normal.indications, [net.coach_line, net.gtb_line], published())
    assert [(s.line and s.line.pk, s.to_case_team) for _r, s in rows] == [
        (expected.line and expected.line.pk, expected.to_case_team)
    ] * 2


def test_a_referral_from_before_the_draaiboek_versions_is_shown_with_the_published_one(net, login):
    old = net.refer(net.new_client(last_name="Ouder"))
    Referral.objects.filter(pk=old.pk).update(draaiboek=None)
    response = login(net.screener).get(reverse("referrals:inbox"))
    assert response.status_code == 200
    assert [r.pk for r, _s in response.context["rows"]] == [old.pk]


def test_the_waiting_lists_link_and_label_each_row(net, login):
    from werkbrug.referrals import actions
    from werkbrug.testing import actor_for

    referral = net.refer(net.new_client(last_name="Wachter"))
    actions.waitlist_referral(actor_for(net.screener), referral, expected_start=None)
    body = login(net.screener).get(reverse("referrals:waiting")).content.decode()
    label = Referral(urgency=referral.urgency).get_urgency_display()
    link = reverse("referrals:detail", args=[referral.pk])
    assert f'<a href="{link}">{referral.client}</a></td><td>{label}</td>' in body


# The inbox's row as the template gave it, before rows were built in Python (issue 14).
INBOX_ROW = """{% load i18n %}<tr>
    <td><a href="{{ r.detail_url }}">{{ r.client }}</a><br><small>{{ r.referring_organisation }}</small></td>
    <td>{{ r.line }}</td><td>{{ r.created_at|date:"d/m/Y" }}</td>
    <td>{% if r.urgency == "urgent" %}<span class="badge badge-alert">{{ r.urgency_label }}</span>{% else %}{{ r.urgency_label }}{% endif %}</td>
    <td>{{ r.status_label }}</td>
    <td>{% if s.line %}{{ s.line.name }}{% endif %}{% if s.to_case_team %} ({% translate "case team" %}){% endif %}</td>
  </tr>"""


def test_each_inbox_row_is_what_the_template_showed(net, login):
    from django.template import Context, Template

    from werkbrug.clients.models import Client

    odd = net.new_client(first_name="<b>Zoë</b>", last_name="O'Brien & co")
    urgent = net.refer(odd)
    Referral.objects.filter(pk=urgent.pk).update(urgency="urgent")
    to_team = net.refer(net.new_client(last_name="Team"))
    Referral.objects.filter(pk=to_team.pk).update(indications=["unclear_lead", "intensive_work"])
    plain = net.refer(net.new_client(last_name="Gewoon"))
    response = login(net.screener).get(reverse("referrals:inbox"))
    page = " ".join(response.content.decode().split())
    template = Template(INBOX_ROW)
    shown = {r.pk: (r, s) for r, s in response.context["rows"]}
    assert set(shown) == {urgent.pk, to_team.pk, plain.pk}
    assert {s.to_case_team for _r, s in shown.values()} == {True, False}
    for r, s in shown.values():
        fresh = Referral.objects.select_related("client", "line", "referring_organisation").get(pk=r.pk)
        fresh.detail_url = reverse("referrals:detail", args=[r.pk])
        fresh.urgency_label, fresh.status_label = fresh.get_urgency_display(), fresh.get_status_display()
        assert " ".join(template.render(Context({"r": fresh, "s": s})).split()) in page
    assert f"{Client.objects.get(pk=odd.pk)}" == "<b>Zoë</b> O'Brien & co"
    assert "&lt;b&gt;Zoë&lt;/b&gt; O&#x27;Brien &amp; co" in page
