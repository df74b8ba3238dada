"""The caseload table builds its rows in Python (issue 14): each row is the HTML the template gave for
it, for every flag (paused, no care partner, not seen, never seen, goal overdue or not, no goal), for
names with markup, quotes and ampersands, in each language (the week counts take plural forms)."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from werkbrug.testing import actor_for, days_ago
from werkbrug.trajectories import actions
from werkbrug.trajectories.models import ContactKind, Trajectory
from werkbrug.trajectories.tests.test_care_partner import self_referred

# The template's row as it was before it was built in Python, from the trajectory and what the
# scenario below sets up (weeks unseen, the next goal, the care-partner flag).
ROW = Template(
    """{% load i18n %}<tr>
    <td><a href="{{ url }}">{{ t.client.last_name }}, {{ t.client.first_name }}</a>
      {% if t.status == "paused" %}<br><span class="badge">{{ t.get_status_display }}</span>{% endif %}</td>
    <td>{{ t.type }}{% if flag %}<br><a class="badge badge-alert" data-flag="care-partner" href="{{ care_url }}">{% translate "no care partner on call" %}</a>{% endif %}</td>
    <td>{{ t.get_phase_display }}</td>
    <td>{{ t.last_contact_on|date:"d/m/Y"|default:"—" }}
      {% if weeks is not None %}<br><span class="badge badge-alert">{% if not t.last_contact_on %}{% blocktranslate count n=weeks %}no contact since the start {{ n }} week ago{% plural %}no contact since the start {{ n }} weeks ago{% endblocktranslate %}{% else %}{% blocktranslate count n=weeks %}not seen for {{ n }} week{% plural %}not seen for {{ n }} weeks{% endblocktranslate %}{% endif %}</span>{% endif %}</td>
    <td>{% if due %}{% if overdue %}<span class="badge badge-alert">{% translate "overdue" %} {{ due|date:"d/m/Y" }}</span>{% else %}{{ due|date:"d/m/Y" }}{% endif %}{% else %}—{% endif %}</td>
  </tr>"""
)


def _plain(html: str) -> str:
    return " ".join(html.split())


@pytest.mark.parametrize("language", ["nl-be", "fr", "en"])
def test_each_caseload_row_is_what_the_template_gave(net, login, language):
    coach = actor_for(net.coach)
    today = timezone.localdate()
    unseen = net.trajectory(net.new_client(first_name='Zoë "Z" <b>', last_name="D'Hondt & co"))
    actions.record_contact(coach, unseen, on=days_ago(36), kind=ContactKind.PHONE)  # 5 weeks
    never = net.trajectory(net.new_client(first_name="Nooit", last_name="Gezien"))
    Trajectory.objects.filter(pk=never.pk).update(started_on=days_ago(9))  # 1 week: not flagged
    long_ago = net.trajectory(net.new_client(first_name="Lang", last_name="Geleden"))
    Trajectory.objects.filter(pk=long_ago.pk).update(started_on=days_ago(30))  # 4 weeks: flagged
    paused = net.trajectory(net.new_client(first_name="Even", last_name="Gepauzeerd"))
    actions.record_contact(coach, paused, on=days_ago(2), kind=ContactKind.PHONE)
    actions.pause_trajectory(coach, paused, reason="opname")
    late = self_referred(net)  # no care partner on call: flagged
    actions.record_contact(coach, late, on=days_ago(1), kind=ContactKind.PHONE)
    actions.add_goal(coach, late, goal="te laat", due_on=days_ago(2))
    actions.add_goal(coach, paused, goal="later", due_on=today + datetime.timedelta(days=20))
    expected = {
        unseen: {"weeks": 5},
        never: {},
        long_ago: {"weeks": 4},
        paused: {"due": today + datetime.timedelta(days=20)},
        late: {"due": days_ago(2), "overdue": True, "flag": True},
    }

    client = login(net.coach)
    client.cookies["django_language"] = language
    page = _plain(client.get(reverse("trajectories:caseload")).content.decode())
    with translation.override(language):
        for trajectory, values in expected.items():
            t = Trajectory.objects.select_related("client", "type").get(pk=trajectory.pk)
            context = {
                "t": t,
                "url": reverse("trajectories:detail", args=[t.pk]),
                "care_url": reverse("trajectories:care_partner_add", args=[t.pk]),
                "weeks": None,
                **values,
            }
            assert _plain(ROW.render(Context(context))) in page, t.client.first_name
    assert page.count('data-flag="care-partner"') == 1
