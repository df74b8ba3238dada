"""The handover inbox renders its answer forms once a page (core.rows.RowFragment): each row's forms
are the forms rendered for that row, with its own ids and action URLs."""

from __future__ import annotations

import re

from django.template.loader import render_to_string
from django.urls import reverse

from werkbrug.testing import propose_to_gtb
from werkbrug.trajectories.forms import AcceptHandoverForm, DeclineHandoverForm
from werkbrug.trajectories.views import coaches_of

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _plain(html: str) -> str:
    return " ".join(_CSRF.sub('name="csrfmiddlewaretoken"', html).split())


def test_each_row_has_the_forms_rendered_for_that_handover(net, login):
    handovers = [propose_to_gtb(net, net.trajectory()) for _ in range(3)]
    response = login(net.gtb_coach).get(reverse("trajectories:handovers"))
    page = _plain(response.content.decode())
    for h in handovers:
        accept = AcceptHandoverForm(
            coaches=coaches_of(net.gtb.pk), initial={"coach": net.gtb_coach.pk}, auto_id=f"accept{h.pk}-%s"
        )
        decline = DeclineHandoverForm(auto_id=f"decline{h.pk}-%s")
        request = response.wsgi_request
        for name, context in [
            ("trajectories/_handover_accept.html", {"h": h, "accept_form": accept}),
            ("trajectories/_handover_decline.html", {"h": h, "decline_form": decline}),
        ]:
            assert _plain(render_to_string(name, context, request)) in page
        assert f'action="/trajectories/{h.trajectory_id}/handovers/{h.pk}/accept/"' in page
        assert f'href="/trajectories/{h.trajectory_id}/"' in page
    # The stand-in numbers of the page's one render are all replaced.
    assert not re.search(r"\d{18}", page)
