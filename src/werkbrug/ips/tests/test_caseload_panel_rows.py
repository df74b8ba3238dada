"""The follow-along panel on the caseload builds its rows in Python (issue 14: an IPS coach's panel
cost a third of the page in template nodes): each row is the HTML the template gave for it, also
for names with markup, quotes and ampersands; the badge is the one the jobs page shows."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse

from werkbrug.ips.status import caseload_due
from werkbrug.ips.templatetags.ips_status import status_badge
from werkbrug.ips.tests.conftest import make_employer, start_job, typed_trajectory
from werkbrug.testing import actor_for, days_ago

# The template's row and badge as they were before they were built in Python.
ROW = Template(
    """{% load i18n %}<tr data-due-placement="{{ row.placement.pk }}" data-due-status="{{ row.status }}">
      <td><a href="{% url 'ips:trajectory' row.placement.trajectory_id %}">{{ row.placement.trajectory.client }}</a></td>
      <td>{{ row.placement.job_title }} · {{ row.placement.employer }}</td>
      <td>{{ row.what }}</td>
      <td>{{ row.opens|date:"d/m/Y" }} \u2013 {{ row.closes|date:"d/m/Y" }}</td>
      <td>{{ badge }}</td>
    </tr>"""
)
BADGE = Template(
    """{% load i18n %}{% if status == "met" %}<span class="badge badge-ok" data-status="met">{% translate "met" %}</span>{% elif status == "late" %}<span class="badge" data-status="late">{% translate "met late" %}</span>{% elif status == "overdue" %}<span class="badge badge-alert" data-status="overdue">{% translate "overdue" %}</span>{% elif status == "open" %}<span class="badge" data-status="open">{% translate "open" %}</span>{% elif status == "due" %}<span class="badge" data-status="due">{% translate "due" %}</span>{% else %}<span class="muted" data-status="later">{% translate "later" %}</span>{% endif %}"""
)


def _plain(html: str) -> str:
    return " ".join(html.split())


@pytest.mark.parametrize("status", ["met", "late", "overdue", "open", "due", "later", "anything else"])
def test_the_badge_is_what_the_template_gave(status):
    assert status_badge(status) == BADGE.render(Context({"status": status}))


def test_each_panel_row_is_what_the_template_gave(net, login):
    employer = make_employer(net, "Bakkerij <Jans> & 'Zonen'")
    trajectory = typed_trajectory(net, first_name='Zoë "Z" <b>', last_name="D'Hondt & co")
    start_job(net, trajectory, employer, days_ago(5), title="Verkoper <i>nacht</i> & dag")
    ended = start_job(net, typed_trajectory(net), employer, days_ago(60), title="Vorige job")
    ended.ended_on, ended.end_reason = days_ago(1), "dismissed"
    ended.save()

    page = _plain(login(net.coach).get(reverse("trajectories:caseload")).content.decode())
    rows = caseload_due(actor_for(net.coach), days_ago(0))
    # Both jobs are in the panel: the new one with its slots overdue, the ended one with its contact due.
    assert {row.status for row in rows} == {"overdue", "due"}
    for row in rows:
        badge = BADGE.render(Context({"status": row.status}))
        assert _plain(ROW.render(Context({"row": row, "badge": badge}))) in page, row.what
    assert "Bakkerij &lt;Jans&gt; &amp; &#x27;Zonen&#x27;" in page
