"""Two-step login through the real pages: the password, then the code (docs/security.md)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import Client as WebClient
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from werkbrug.accounts.views import SETUP_KEY
from werkbrug.core.models import AuditEvent
from werkbrug.network.models import NetworkSettings
from werkbrug.testing import PASSWORD, client_of, totp_code


def password_login(user) -> WebClient:
    """A client that has given the password only."""
    page = WebClient()
    response = page.post(reverse("core:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return page


def pages(net) -> dict[str, str]:
    client = net.trajectory().client
    return {
        "home": reverse("core:home"),
        "clients": reverse("clients:list"),
        "client": reverse("clients:detail", args=[client.pk]),
        "capacity": reverse("trajectories:capacity"),
        "reports": reverse("reports:index"),
        "api tokens": reverse("api:tokens"),
        "two-step status": reverse("accounts:two_factor"),
        "network": reverse("network:home"),
    }


def test_a_coordinator_reaches_no_page_before_the_second_factor(net):
    urls = pages(net)
    page = password_login(net.coordinator)
    for name, url in urls.items():
        response = page.get(url)
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("accounts:verify") + "?next="), (name, response.url)
    wrong = "000000" if totp_code() != "000000" else "111111"
    refused = page.post(reverse("accounts:verify"), {"code": wrong})
    assert refused.status_code == 200
    assert "This code is not right." in refused.content.decode()
    assert page.get(urls["clients"]).url.startswith(reverse("accounts:verify"))
    # django-otp makes the next try wait a second after a wrong code.
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=3), tick=False):
        done = page.post(reverse("accounts:verify") + "?next=" + urls["client"], {"code": totp_code()})
        assert done.status_code == 302 and done.url == urls["client"]
        assert page.get(urls["client"]).status_code == 200
        assert page.get(urls["clients"]).status_code == 200
        assert page.get(urls["capacity"]).status_code == 200
        assert page.get(urls["api tokens"]).status_code == 200


def test_a_right_code_straight_after_a_wrong_one_waits(net):
    page = password_login(net.funder)
    page.post(reverse("accounts:verify"), {"code": "000000" if totp_code() != "000000" else "111111"})
    refused = page.post(reverse("accounts:verify"), {"code": totp_code()})
    assert "Too many wrong codes" in refused.content.decode()
    assert page.get(reverse("reports:index")).status_code == 302


def test_the_pages_of_the_login_stay_open_before_the_second_factor(net):
    page = password_login(net.admin)
    assert page.get(reverse("accounts:verify")).status_code == 200
    assert page.get("/healthz").status_code == 200
    assert page.post(reverse("set_language"), {"language": "fr", "next": "/"}).status_code == 302
    assert page.post(reverse("core:logout")).status_code == 302
    assert "_auth_user_id" not in page.session


def test_token_api_calls_are_not_asked_for_a_second_factor(net):
    from werkbrug.network.models import ApiToken

    _token, key = ApiToken.issue(net.coordinator.memberships.get(), "test")
    response = WebClient().get("/api/clients", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200


def set_up(user) -> tuple[WebClient, list[str]]:
    """Log in with the password, set an app up through the setup page; the recovery codes shown."""
    page = password_login(user)
    shown = page.get(reverse("accounts:setup"))
    assert shown.status_code == 200
    key = page.session[SETUP_KEY]
    secret = shown.context["secret"].replace(" ", "")
    import base64
    import binascii

    assert base64.b32decode(secret) == binascii.unhexlify(key)  # the text shown is the secret
    assert shown.context["qr"].startswith("data:image/svg+xml")
    response = page.post(reverse("accounts:setup"), {"code": totp_code(key)})
    assert response.status_code == 200
    codes = response.context["codes"]
    return page, codes


def test_a_coach_may_log_in_without_a_second_factor_or_turn_it_on(net):
    page = password_login(net.coach)
    assert page.get(reverse("trajectories:caseload")).status_code == 200
    assert page.get(reverse("accounts:two_factor")).status_code == 200

    page, codes = set_up(net.coach)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.filter(user=net.coach, confirmed=True).count() == 1
    assert page.get(reverse("trajectories:caseload")).status_code == 200  # verified by the setup
    assert AuditEvent.objects.filter(
        user=net.coach, object_type="totpdevice", summary="two-step verification set up"
    ).exists()
    # From now on the coach gives a code at every login.
    again = password_login(net.coach)
    assert again.get(reverse("trajectories:caseload")).url.startswith(reverse("accounts:verify"))


def test_a_coordinator_without_an_app_is_sent_to_set_one_up(net):
    TOTPDevice.objects.filter(user=net.coordinator).delete()
    page = password_login(net.coordinator)
    response = page.get(reverse("clients:list"))
    assert response.url.startswith(reverse("accounts:setup"))
    page, _codes = set_up(net.coordinator)
    assert page.get(reverse("clients:list")).status_code == 200


def test_a_wrong_first_code_does_not_set_the_app_up(net):
    page = password_login(net.coach)
    page.get(reverse("accounts:setup"))
    wrong = f"{(int(totp_code(page.session[SETUP_KEY])) + 500000) % 1000000:06d}"
    response = page.post(reverse("accounts:setup"), {"code": wrong})
    assert "This code is not right." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=net.coach).exists()


def test_the_network_setting_asks_everyone_for_a_second_factor(net):
    admin = client_of(net.admin)
    assert admin.get(reverse("network:settings")).status_code == 200
    response = admin.post(reverse("network:settings"), {"require_two_factor_for_all": "on"})
    assert response.status_code == 302
    assert NetworkSettings.load().require_two_factor_for_all
    assert AuditEvent.objects.filter(user=net.admin, object_type="networksettings").exists()

    page = password_login(net.coach)
    for url in (reverse("trajectories:caseload"), reverse("api:tokens")):
        assert page.get(url).url.startswith(reverse("accounts:setup"))


def test_only_the_network_admin_sees_and_changes_the_network_settings(net):
    for user in (net.coach, net.coordinator, net.funder, net.outsider):
        page = client_of(user)
        assert page.get(reverse("network:settings")).status_code == 404
        assert page.post(reverse("network:settings"), {"require_two_factor_for_all": "on"}).status_code == 404
    assert not NetworkSettings.load().require_two_factor_for_all


def test_recovery_codes_work_once_each(net):
    _page, codes = set_up(net.coach)
    first, second = codes[0], codes[1]

    page = password_login(net.coach)
    response = page.post(reverse("accounts:verify"), {"code": first})
    assert response.status_code == 302
    assert page.get(reverse("trajectories:caseload")).status_code == 200
    assert AuditEvent.objects.filter(user=net.coach, summary__startswith="recovery code used").count() == 1

    page = password_login(net.coach)
    refused = page.post(reverse("accounts:verify"), {"code": first})
    assert "This code is not right." in refused.content.decode()
    assert page.get(reverse("trajectories:caseload")).status_code == 302
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=3), tick=False):
        assert page.post(reverse("accounts:verify"), {"code": second}).status_code == 302
        assert page.get(reverse("trajectories:caseload")).status_code == 200
    assert StaticToken.objects.filter(device__user=net.coach).count() == 8


def test_only_the_network_admin_resets_a_users_second_factor(net):
    _page, _codes = set_up(net.coach)
    url = reverse("accounts:reset", args=[net.coach.pk])
    for user in (net.coordinator, net.funder, net.care, net.outsider, net.coach):
        page = client_of(user)
        assert page.get(url).status_code == 404, user
        assert page.post(url).status_code == 404, user
    assert TOTPDevice.objects.filter(user=net.coach).exists()

    admin = client_of(net.admin)
    edit = admin.get(reverse("network:user_edit", args=[net.coach.pk]))
    assert url in edit.content.decode()
    confirm = admin.get(url)
    assert confirm.status_code == 200 and "data-confirm" in confirm.content.decode()
    assert admin.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=net.coach).exists()
    assert not StaticDevice.objects.filter(user=net.coach).exists()
    assert AuditEvent.objects.filter(
        user=net.admin,
        object_type="user",
        object_id=net.coach.pk,
        summary__startswith="two-step verification reset",
    ).exists()


def test_a_reset_ends_the_verification_of_open_sessions(net):
    funder = client_of(net.funder)
    assert funder.get(reverse("reports:index")).status_code == 200
    assert client_of(net.admin).post(reverse("accounts:reset", args=[net.funder.pk])).status_code == 302
    response = funder.get(reverse("reports:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:setup"))


def test_the_status_page_shows_only_ones_own_app(net):
    set_up(net.coach)
    other = client_of(net.care)
    response = other.get(reverse("accounts:two_factor"))
    assert response.context["device"] is None
    assert reverse("accounts:setup") in response.content.decode()


@pytest.mark.parametrize("persona", ["care", "coach"])
def test_the_user_menu_links_to_two_step_verification(net, persona):
    response = client_of(getattr(net, persona)).get(reverse("accounts:two_factor"))
    assert f'href="{reverse("accounts:two_factor")}"' in response.content.decode()
