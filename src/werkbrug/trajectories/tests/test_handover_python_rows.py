"""The handover inbox builds its rows in Python (issue 14: the page grew with its rows): each row is
the HTML the template gave for it, also for notes and reasons with markup and line breaks."""

from __future__ import annotations

from django.template import Context, Template
from django.urls import reverse

from werkbrug.testing import actor_for, propose_to_gtb
from werkbrug.trajectories import actions
from werkbrug.trajectories.models import Handover

# The template's rows as they were before they were built in Python.
INCOMING = Template(
    """{% load i18n %}<section id="handover-{{ h.pk }}">
    <h3><a href="{{ h.trajectory_url }}">{{ h.trajectory.client }}</a> · {{ h.from_organisation }} → {{ h.new_type }}</h3>
    <p><small class="muted">{% translate "proposed by" %} {{ h.proposed_by }}, {{ h.proposed_at|date:"d/m/Y" }} · {% translate "now" %}: {{ h.trajectory.type }}</small></p>
    <blockquote>{{ h.note|linebreaksbr }}</blockquote>"""
)
OUTGOING = Template(
    """<tr>
      <td><a href="{{ h.trajectory_url }}#handover">{{ h.trajectory.client }}</a></td>
      <td>{{ h.to_organisation }} ({{ h.new_type }})</td>
      <td>{{ h.proposed_at|date:"d/m/Y" }} · {{ h.proposed_by }}</td>
      <td><span class="badge{% if h.status == 'accepted' %} badge-ok{% endif %}">{{ h.get_status_display }}</span>{% if h.decided_at %} {{ h.decided_at|date:"d/m/Y" }}{% endif %}{% if h.decision_note %}<br><small>{{ h.decision_note }}</small>{% endif %}</td>
    </tr>"""
)


def _plain(html: str) -> str:
    return " ".join(html.split())


def _as_template_shows(template: Template, handover: Handover) -> str:
    h = Handover.objects.select_related(
        "trajectory__client",
        "trajectory__type",
        "from_organisation",
        "to_organisation",
        "new_type",
        "proposed_by",
    ).get(pk=handover.pk)
    h.trajectory_url = reverse("trajectories:detail", args=[h.trajectory_id])  # type: ignore[attr-defined]
    return _plain(template.render(Context({"h": h})))


def test_each_row_is_what_the_template_showed(net, login):
    pending = propose_to_gtb(net, net.trajectory(), note="<b>Let op</b>\nTweede regel & meer")
    declined = propose_to_gtb(net, net.trajectory(), note="Kort")
    accepted = propose_to_gtb(net, net.trajectory(), note="Goed")
    actions.decline_handover(actor_for(net.gtb_coach), declined, reason="<i>Vol</i> tot mei")
    actions.accept_handover(actor_for(net.gtb_coach), accepted, coach=net.gtb_coach)

    incoming = _plain(login(net.gtb_coach).get(reverse("trajectories:handovers")).content.decode())
    assert _as_template_shows(INCOMING, pending) in incoming
    assert "&lt;b&gt;Let op&lt;/b&gt;<br>Tweede regel &amp; meer" in incoming
    assert f"handover-{declined.pk}" not in incoming  # answered: no longer incoming

    outgoing = _plain(login(net.coach).get(reverse("trajectories:handovers")).content.decode())
    for handover in (pending, declined, accepted):
        assert _as_template_shows(OUTGOING, handover) in outgoing, handover.status
    assert "<br><small>&lt;i&gt;Vol&lt;/i&gt; tot mei</small>" in outgoing
    assert outgoing.count("badge badge-ok") == 1
