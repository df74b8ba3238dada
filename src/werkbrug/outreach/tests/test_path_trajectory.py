"""Issue 16: with a client file, the outreach path hangs on an outreach trajectory (type code
"outreach") at the site's organisation, and the client's trajectory page shows it (a panel read
through clients.access); without a file there is no trajectory."""

from __future__ import annotations

from django.urls import reverse

from werkbrug.outreach import path_actions
from werkbrug.outreach.models import PathChannel
from werkbrug.outreach.tests.data import MONDAY, site
from werkbrug.testing import actor_for
from werkbrug.trajectories.models import Trajectory


def start(net, s, **extra):
    fields = {"first_name": "Mira", "channel": PathChannel.HOURS, "started_on": MONDAY.date()}
    return path_actions.start_path(actor_for(net.coach), s, **(fields | extra))


def test_a_path_with_a_client_file_hangs_on_one_outreach_trajectory(net, frozen):
    s = site(net)
    client = net.new_client(by=net.coach)
    first = start(net, s, client=client)
    second = start(net, site(net, name="Huisartsenpraktijk Noord"), client=client)
    trajectory = Trajectory.objects.get(client=client)
    assert trajectory.type.code == "outreach"
    assert trajectory.lead_organisation == net.sara and trajectory.coach == net.coach
    assert first.trajectory == trajectory and second.trajectory == trajectory  # one, not two
    assert start(net, s, first_name="Jo").trajectory is None  # no file: no trajectory
    assert Trajectory.objects.count() == 1


def test_the_trajectory_page_shows_the_path_to_the_coach_and_to_no_outsider(net, login, frozen):
    s = site(net)
    client = net.new_client(by=net.coach)
    p = start(net, s, client=client)
    url = reverse("trajectories:detail", args=[p.trajectory_id])
    html = login(net.coach).get(url).content.decode()
    assert 'id="outreach-paths"' in html
    assert reverse("outreach:path", args=[p.pk]) in html
    for outsider in (net.gtb_coach, net.outsider, net.funder, net.care):
        page = login(outsider)
        assert page.get(url).status_code == 404, outsider
        assert page.get(reverse("outreach:path", args=[p.pk])).status_code == 404, outsider


def test_the_panel_shows_nothing_on_a_trajectory_without_an_outreach_path(net, login, frozen):
    trajectory = net.trajectory()
    html = login(net.coach).get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert 'id="outreach-paths"' not in html
