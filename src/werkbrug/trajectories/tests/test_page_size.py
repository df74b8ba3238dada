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
    html = login(getattr(net, who)).get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert 'name="to_organisation__q"' in html  # the handover form is there, as a search box
    assert all(n <= 30 for n in selects(html)), selects(html)
    assert html.count("<option") < 60
    assert "Werkplaats 000" not in html and "Werkplaats 119" not in html
    assert "extra39" not in html
