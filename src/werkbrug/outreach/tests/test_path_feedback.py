"""Issue 16: the written summary and feedback to the care professional reuse exchange's feedback,
only with the client's active consent to feedback for that care organisation. The coach names the
care organisation that sent the person; naming it shares nothing by itself."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.urls import reverse

from werkbrug.clients.actions import grant_consent
from werkbrug.outreach import path_actions
from werkbrug.outreach.models import PathChannel
from werkbrug.outreach.tests.data import MONDAY, site
from werkbrug.testing import SIGNED, actor_for
from werkbrug.trajectories.models import TrajectoryPartner

# The feedback is exchange's (a sibling area: read here through its pages, not its models).
FEEDBACK_LINK = re.compile(r'href="/feedback/(\d+)/"')


def feedback_ids(page, name):
    return FEEDBACK_LINK.findall(page.get(reverse(name)).content.decode())


FEEDBACK = {"discussed": "Twee gesprekken; wil zich inschrijven bij VDAB.", "steps": "", "support_needed": ""}


@pytest.fixture
def path(net):
    with time_machine.travel(MONDAY, tick=False):
        client = net.new_client(by=net.coach)
        yield path_actions.start_path(
            actor_for(net.coach),
            site(net),
            first_name="Mira",
            channel=PathChannel.CARE_PROFESSIONAL,
            started_on=MONDAY.date(),
            client=client,
        )


def seen_on(page, url):
    form = page.get(url)
    assert form.status_code == 200
    return form.content.decode().split('name="seen" value="')[1].split('"')[0]


def name_hospital(net, login, path, seen=None):
    page = login(net.coach)
    url = reverse("outreach:care_partner", args=[path.pk])
    seen = seen or seen_on(page, url)
    data = {"organisation": net.hospital.pk, "organisation__label": str(net.hospital), "seen": seen}
    return page, page.post(url, data)


def consent(net, path, purpose):
    grant_consent(
        actor_for(net.coach),
        path.client,
        purpose=purpose,
        recipient=net.hospital,
        categories=["trajectory"],
        evidence=SIGNED,
    )


def test_without_the_clients_feedback_consent_nothing_reaches_the_care_professional(net, login, path):
    page, response = name_hospital(net, login, path)
    assert response.status_code == 302
    consent(net, path, "collaboration")  # the file is shared, but no consent to feedback
    url = reverse("feedback:create", args=[path.trajectory_id])
    refused = page.post(url, FEEDBACK)
    assert refused.status_code == 200
    assert "has not consented to feedback" in refused.content.decode()
    assert feedback_ids(page, "feedback:sent") == []
    assert feedback_ids(login(net.care), "feedback:inbox") == []


def test_with_the_consent_the_feedback_reaches_the_care_organisation(net, login, path):
    page, _response = name_hospital(net, login, path)
    consent(net, path, "collaboration")
    consent(net, path, "feedback")
    detail = page.get(reverse("outreach:path", args=[path.pk])).content.decode()
    assert reverse("feedback:create", args=[path.trajectory_id]) in detail
    assert page.post(reverse("feedback:create", args=[path.trajectory_id]), FEEDBACK).status_code == 302
    [sent] = feedback_ids(page, "feedback:sent")
    care = login(net.care)  # a professional of the hospital, the care partner named
    assert feedback_ids(care, "feedback:inbox") == [sent]
    assert (
        "wil zich inschrijven bij VDAB" in care.get(reverse("feedback:detail", args=[sent])).content.decode()
    )
    # Another care organisation's professional sees none of it.
    assert login(net.outsider).get(reverse("feedback:detail", args=[sent])).status_code == 404


def test_naming_the_care_partner_is_refused_for_outsiders_bad_input_and_twice(net, login, path):
    for outsider in (net.gtb_coach, net.care, net.funder, net.outsider):
        assert login(outsider).get(reverse("outreach:care_partner", args=[path.pk])).status_code == 404
    page = login(net.coach)
    url = reverse("outreach:care_partner", args=[path.pk])
    seen = seen_on(page, url)
    bad = page.post(url, {"organisation": net.sara.pk, "organisation__label": str(net.sara), "seen": seen})
    assert bad.status_code == 400 and TrajectoryPartner.objects.count() == 0
    _page, first = name_hospital(net, login, path, seen)
    _page, second = name_hospital(net, login, path, seen)  # a double submit
    assert first.status_code == 302 and second.status_code == 400
    assert TrajectoryPartner.objects.filter(trajectory_id=path.trajectory_id).count() == 1
