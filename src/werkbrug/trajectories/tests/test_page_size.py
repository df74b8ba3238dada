"""The trajectory page does not grow with the network (issue 14): no <select> lists every
organisation or coach; they are chosen with a search box (core.choosers)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from werkbrug.network.models import Organisation, OrganisationKind, OrganisationType, Role
from werkbrug.testing import make_user

pytestmark = pytest.mark.django_db

MANY = 120


def selects(html: str) -> list[int]:
    """The number of options of each <select> of the page."""
    return [block.count("<option") for block in re.findall(r"<select.*?</select>", html, re.S)]


@pytest.mark.parametrize("who", ["coach", "coordinator"])
def test_the_trajectory_page_has_no_select_with_every_organisation_or_coach(net, login, who):
    Organisation.objects.bulk_create(
        Organisation(name=f"Werkplaats {i:03d}", kind=OrganisationKind.WORK, org_type=OrganisationType.GTB)
        for i in range(MANY)
    )
    for i in range(40):
        make_user(f"extra{i}", net.sara, Role.COACH)
    trajectory = net.trajectory()
    page = login(getattr(net, who))
    html = page.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    handover = reverse("trajectories:handover_create", args=[trajectory.pk])
    assert f'hx-get="{handover}?partial=form"' in html  # offered, loaded when opened
    # The forms, as the page shows them when opened: a search box, no list.
    forms = [page.get(handover, {"partial": "form"}).content.decode()]
    if who == "coordinator":
        coach = reverse("trajectories:coach_change", args=[trajectory.pk])
        assert f'hx-get="{coach}?partial=form"' in html
        forms.append(page.get(coach, {"partial": "form"}).content.decode())
    assert 'name="to_organisation__q"' in forms[0]
    for shown in (html, *forms):
        assert all(n <= 30 for n in selects(shown)), selects(shown)
        assert shown.count("<option") < 60
        assert "Werkplaats 000" not in shown and "Werkplaats 119" not in shown
        assert "extra39" not in shown


CLOSED = (
    "contact_create",
    "ladder_create",
    "goal_create",
    "outcome_create",
    "handover_create",
    "pause",
    "close",
)


def test_closed_forms_are_offered_not_rendered_and_load_from_their_action_page(net, login):
    trajectory = net.trajectory()
    page = login(net.coach)
    html = page.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    # The quick entry stays on the page, rendered (issue 13: the coach's daily step, first screen).
    assert f'action="{reverse("trajectories:quick_contact", args=[trajectory.pk])}"' in html
    for action in CLOSED:
        url = reverse(f"trajectories:{action}", args=[trajectory.pk])
        assert f'action="{url}"' not in html, action  # no <form> of it on the page
        assert f'hx-get="{url}?partial=form"' in html and f'<a href="{url}">' in html, action
        fragment = page.get(url, {"partial": "form"})
        body = fragment.content.decode()
        assert fragment.status_code == 200 and "<html" not in body, action
        assert body.count("<form") == 1 and f'action="{url}"' in body and "csrfmiddlewaretoken" in body
        assert "<html" in page.get(url).content.decode()  # without JavaScript: the action's own page
    # None of the closed forms' fields is on the page.
    for field in ('name="goal"', 'name="rung"', 'name="to_organisation__q"', 'name="reason"'):
        assert field not in html, field


def test_an_outsider_gets_404_on_a_lazily_loaded_form(net, login):
    trajectory = net.trajectory()
    url = reverse("trajectories:handover_create", args=[trajectory.pk])
    assert login(net.outsider).get(url, {"partial": "form"}).status_code == 404
    assert login(net.gtb_coach).get(url, {"partial": "form"}).status_code == 404


def test_the_handover_inbox_does_not_list_every_coach_and_prefills_the_answering_coach(net, login):
    from werkbrug.testing import propose_to_gtb

    for i in range(40):
        make_user(f"gtbextra{i}", net.gtb, Role.COACH)
    handover = propose_to_gtb(net, net.trajectory())
    html = login(net.gtb_coach).get(reverse("trajectories:handovers")).content.decode()
    assert all(n <= 30 for n in selects(html)), selects(html)
    assert "gtbextra39" not in html
    assert f'id="accept{handover.pk}-coach"' in html
    assert f'name="coach" value="{net.gtb_coach.pk}"' in html
    assert f'name="coach__q" value="{net.gtb_coach}"' in html
