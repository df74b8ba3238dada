"""The caseload's "Paid work to verify" builds its rows in Python (issue 14: fifty rows cost more in
template nodes than the rest of the page): each row is the HTML the template gave for it, also for
names with markup, quotes and ampersands, in each language."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from werkbrug.testing import actor_for, days_ago
from werkbrug.trajectories import actions
from werkbrug.trajectories.models import Economy, Outcome, OutcomeKind

# The template's row as it was before it was built in Python.
ROW = Template(
    """{% load i18n %}<li><a href="{% url 'trajectories:detail' o.trajectory_id %}#outcomes">{{ o.trajectory.client }}</a>: {{ o.get_kind_display }}{% if o.economy %} ({{ o.get_economy_display }}){% endif %} {% translate "since" %} {{ o.on|date:"d/m/Y" }} · {% blocktranslate with date=o.verify_due_on|date:"d/m/Y" %}to verify from {{ date }}{% endblocktranslate %}</li>"""
)


def _plain(html: str) -> str:
    return " ".join(html.split())


@pytest.mark.parametrize("language", ["nl-be", "fr", "en"])
def test_each_row_to_verify_is_what_the_template_gave(net, login, language):
    coach = actor_for(net.coach)
    outcomes = []
    for first, last, economy in (
        ('Zoë "Z" <b>', "D'Hondt & co", Economy.NEC),
        ("Ahmed", "Peeters", Economy.SOCIAL),
    ):
        trajectory = net.trajectory(net.new_client(first_name=first, last_name=last))
        actions.record_outcome(
            coach, trajectory, kind=OutcomeKind.PAID_WORK, economy=economy, on=days_ago(95)
        )
        outcomes.append(Outcome.objects.select_related("trajectory__client").get(trajectory=trajectory))

    client = login(net.coach)
    client.cookies["django_language"] = language
    page = _plain(
        client.get(reverse("trajectories:caseload"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    )
    with translation.override(language):
        for outcome in outcomes:
            assert _plain(ROW.render(Context({"o": outcome}))) in page, outcome.economy
    assert "Zoë &quot;Z&quot; &lt;b&gt;" in page
    assert {"nl-be": " sinds ", "fr": " depuis le ", "en": " since "}[language] in page
