"""The network admin's page of trajectory types: which types ask for a care partner on call (until
now set only by trajectories migration 0007). The caseload's flag follows the setting."""

from __future__ import annotations

import pytest
from django.urls import reverse

from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.network.models import TrajectoryType
from werkbrug.testing import actor_for, client_of
from werkbrug.trajectories.care_partner import lacks_care_partner, set_care_partner_required
from werkbrug.trajectories.models import CarePartnerType, Trajectory
from werkbrug.trajectories.tests.test_care_partner import FLAG, self_referred

pytestmark = pytest.mark.django_db

LIST = "/network/trajectory-types/"


def _url(code: str) -> str:
    return f"/network/trajectory-types/{TrajectoryType.objects.get(code=code).pk}/care-partner/"


def _asking() -> set[str]:
    return set(CarePartnerType.objects.values_list("type__code", flat=True))


def _seen(page, code: str) -> str:
    response = page.get(_url(code))
    assert response.status_code == 200
    return response.context["seen"]


def test_the_urls_are_the_ones_named():
    assert reverse("trajectory_types:list") == LIST
    assert reverse("trajectory_types:care_partner", args=[7]) == "/network/trajectory-types/7/care-partner/"


def test_the_list_shows_every_type_with_its_rule(net):
    response = client_of(net.admin).get(LIST)
    assert response.status_code == 200
    rows = {t.code: t.asks_care_partner for t in response.context["page"]}
    assert rows == {
        code: code == "arbeidscoach" for code in TrajectoryType.objects.values_list("code", flat=True)
    }
    body = response.content.decode()
    for t in TrajectoryType.objects.all():
        assert _url(t.code) in body
    assert LIST in client_of(net.admin).get("/network/").content.decode()


def test_the_admin_marks_a_type_and_the_caseload_flags_it(net):
    ips = self_referred(net, "ips")
    assert not Trajectory.objects.filter(lacks_care_partner(), pk=ips.pk).exists()
    page = client_of(net.admin)
    response = page.post(_url("ips"), {"required": "on", "seen": _seen(page, "ips")})
    assert response.status_code == 302 and response["Location"] == LIST
    assert _asking() == {"arbeidscoach", "ips"}
    assert Trajectory.objects.filter(lacks_care_partner(), pk=ips.pk).exists()
    assert FLAG in client_of(net.coach).get(reverse("trajectories:caseload")).content.decode()
    event = AuditEvent.objects.get(object_type="trajectorytype", action=AuditAction.UPDATE)
    assert event.object_id == ips.type_id and event.client_id is None and event.user == net.admin
    assert event.summary == "care partner on call required: ips"


def test_the_admin_unmarks_a_type_and_the_flag_goes(net):
    trajectory = self_referred(net)
    assert Trajectory.objects.filter(lacks_care_partner(), pk=trajectory.pk).exists()
    page = client_of(net.admin)
    assert page.post(_url("arbeidscoach"), {"seen": _seen(page, "arbeidscoach")}).status_code == 302
    assert _asking() == set()
    assert not Trajectory.objects.filter(lacks_care_partner(), pk=trajectory.pk).exists()
    assert FLAG not in client_of(net.coach).get(reverse("trajectories:caseload")).content.decode()
    assert AuditEvent.objects.get(object_type="trajectorytype").summary == (
        "care partner on call not required: arbeidscoach"
    )


def test_saving_what_is_already_set_writes_nothing(net):
    page = client_of(net.admin)
    assert (
        page.post(_url("arbeidscoach"), {"required": "on", "seen": _seen(page, "arbeidscoach")}).status_code
        == 302
    )
    assert _asking() == {"arbeidscoach"}
    assert not AuditEvent.objects.filter(object_type="trajectorytype").exists()


def test_a_change_opened_before_someone_elses_is_refused_naming_them(net):
    page = client_of(net.admin)
    seen = _seen(page, "gtb")
    set_care_partner_required(actor_for(net.admin), TrajectoryType.objects.get(code="gtb"), required=True)
    refused = page.post(_url("gtb"), {"seen": seen})
    assert refused.status_code == 200
    assert f"{net.admin.get_full_name()} changed this setting" in refused.content.decode()
    assert _asking() == {"arbeidscoach", "gtb"}
    # Saving again from the refused page (it carries what is stored now) is a conscious overwrite.
    assert page.post(_url("gtb"), {"seen": refused.context["seen"]}).status_code == 302
    assert _asking() == {"arbeidscoach"}


def test_a_double_submit_changes_once(net):
    page = client_of(net.admin)
    seen = _seen(page, "gtb")
    assert page.post(_url("gtb"), {"required": "on", "seen": seen}).status_code == 302
    assert page.post(_url("gtb"), {"required": "on", "seen": seen}).status_code == 200
    assert AuditEvent.objects.filter(object_type="trajectorytype").count() == 1
    assert _asking() == {"arbeidscoach", "gtb"}


def test_an_unknown_type_is_404(net):
    page = client_of(net.admin)
    assert page.get("/network/trajectory-types/999999/care-partner/").status_code == 404
    assert page.post("/network/trajectory-types/999999/care-partner/", {"required": "on"}).status_code == 404


@pytest.mark.parametrize("who", ["care", "coach", "screener", "coordinator", "funder", "outsider"])
def test_only_the_network_admin_reaches_the_pages(net, who):
    user = getattr(net, who)
    page = client_of(user)
    assert page.get(LIST).status_code == 404
    assert page.get(_url("gtb")).status_code == 404
    assert page.post(_url("gtb"), {"required": "on"}).status_code == 404
    assert page.post(_url("arbeidscoach"), {}).status_code == 404
    with pytest.raises(DomainError, match="Only a network admin"):
        set_care_partner_required(actor_for(user), TrajectoryType.objects.get(code="gtb"), required=True)
    assert _asking() == {"arbeidscoach"}
    assert not AuditEvent.objects.filter(object_type="trajectorytype").exists()


@pytest.mark.django_db(transaction=True)
def test_two_admins_saving_the_same_rule_at_once_change_it_once(tnet):
    from werkbrug.network.models import Role
    from werkbrug.testing import make_user, one_done_one_refused, race

    second = make_user("admin2", tnet.network_org, Role.NETWORK_ADMIN)
    pages = [client_of(tnet.admin), client_of(second)]
    sent = [_seen(page, "gtb") for page in pages]
    responses = race(
        *[
            lambda page=page, seen=seen: page.post(_url("gtb"), {"required": "on", "seen": seen})
            for page, seen in zip(pages, sent, strict=True)
        ]
    )
    _done, refused = one_done_one_refused(responses)
    assert "changed this setting" in refused.content.decode()
    assert "gtb" in _asking()
    assert AuditEvent.objects.filter(object_type="trajectorytype").count() == 1


def test_the_list_runs_the_same_number_of_queries_for_more_types(net, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page = client_of(net.admin)
    page.get(LIST)  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert page.get(LIST).status_code == 200
    for n in range(12):
        extra = TrajectoryType.objects.create(code=f"extra{n}", name=f"Extra {n}")
        if n % 2:
            CarePartnerType.objects.create(type=extra)
    with django_assert_num_queries(len(few.captured_queries)):
        response = page.get(LIST)
    assert sum(1 for t in response.context["page"] if t.asks_care_partner) == 1 + 6
