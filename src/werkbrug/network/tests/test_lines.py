"""Referral lines: create and edit with indications, a default trajectory type and fixed screeners."""

from __future__ import annotations

import pytest
from django.urls import reverse

from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditEvent
from werkbrug.network import actions
from werkbrug.network.models import Membership, ReferralLine, Role
from werkbrug.testing import actor_for


def line_data(net, **overrides):
    data = {
        "name": "SaRA IPS",
        "organisation": net.sara.pk,
        "description": "Individuele plaatsing en steun.",
        "indications": ["whole_trajectory", "psychiatric_expertise"],
        "default_trajectory_type": "ips",
        "screeners": [net.screener.pk, net.coordinator.pk],
        "is_active": "on",
    }
    data.update(overrides)
    return data


def snapshot():
    through = ReferralLine.screeners.through
    return ReferralLine.objects.count(), through.objects.count(), AuditEvent.objects.count()


def test_admin_creates_a_referral_line_and_it_is_audited(net, login):
    response = login(net.admin).post(reverse("network:line_create"), line_data(net))
    assert response.status_code == 302
    line = ReferralLine.objects.get(name="SaRA IPS")
    assert line.organisation == net.sara
    assert line.description == "Individuele plaatsing en steun."
    # stored in the draaiboek's order, whatever order they came in
    assert line.indications == ["psychiatric_expertise", "whole_trajectory"]
    assert line.default_trajectory_type == "ips"
    assert set(line.screeners.all()) == {net.screener, net.coordinator}
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.object_type, event.object_id) == ("create", "referralline", line.pk)
    assert event.client_id is None


def test_admin_edits_a_referral_line_and_it_is_audited(net, login):
    response = login(net.admin).post(
        reverse("network:line_edit", args=[net.coach_line.pk]),
        line_data(
            net,
            name="SaRA arbeidscoach",
            default_trajectory_type="arbeidscoach",
            screeners=[net.coordinator.pk],
        ),
    )
    assert response.status_code == 302
    net.coach_line.refresh_from_db()
    assert list(net.coach_line.screeners.all()) == [net.coordinator]
    assert net.coach_line.indications == ["psychiatric_expertise", "whole_trajectory"]
    event = AuditEvent.objects.latest("pk")
    assert (event.action, event.object_type, event.object_id) == ("update", "referralline", net.coach_line.pk)
    assert "screeners" in event.summary and "indications" in event.summary and "name" not in event.summary


def test_a_screener_from_another_organisation_is_refused_and_nothing_is_written(net, login):
    before = snapshot()
    response = login(net.admin).post(
        reverse("network:line_create"), line_data(net, screeners=[net.screener.pk, net.gtb_screener.pk])
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["screeners"]
    assert "SaRA Arbeidscoaching" in errors[0] and str(net.gtb_screener) in errors[0]
    assert str(net.screener) not in errors[0]
    assert 'id="id_screeners-error"' in response.content.decode()
    assert snapshot() == before


def test_moving_a_line_to_another_organisation_requires_screeners_there(net, login):
    before = snapshot()
    response = login(net.admin).post(
        reverse("network:line_edit", args=[net.coach_line.pk]),
        line_data(net, name="SaRA arbeidscoach", organisation=net.gtb.pk, screeners=[net.screener.pk]),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["screeners"]
    net.coach_line.refresh_from_db()
    assert net.coach_line.organisation == net.sara
    assert snapshot() == before


@pytest.mark.parametrize("persona", ["coach", "care"])
def test_a_person_without_a_screening_role_cannot_be_a_screener(net, login, persona):
    before = snapshot()
    response = login(net.admin).post(
        reverse("network:line_create"), line_data(net, screeners=[getattr(net, persona).pk])
    )
    assert response.status_code == 200
    assert response.context["form"].errors["screeners"]
    assert snapshot() == before


def test_a_screener_with_an_inactive_membership_cannot_be_chosen(net, login):
    Membership.objects.create(user=net.coach, organisation=net.sara, role=Role.SCREENER, is_active=False)
    before = snapshot()
    response = login(net.admin).post(reverse("network:line_create"), line_data(net, screeners=[net.coach.pk]))
    assert response.status_code == 200
    assert response.context["form"].errors["screeners"]
    assert snapshot() == before


def test_a_deactivated_screener_shows_up_and_must_be_replaced_before_saving(net, login):
    net.screener.is_active = False
    net.screener.save()
    client = login(net.admin)
    edit = reverse("network:line_edit", args=[net.coach_line.pk])
    assert net.screener in client.get(edit).context["form"].fields["screeners"].queryset
    data = line_data(net, name="SaRA arbeidscoach", screeners=[net.screener.pk])
    response = client.post(edit, data)
    assert str(net.screener) in response.context["form"].errors["screeners"][0]
    response = client.post(edit, {**data, "screeners": [net.coordinator.pk]})
    assert response.status_code == 302
    assert list(net.coach_line.screeners.all()) == [net.coordinator]


@pytest.mark.parametrize("name", ["GTB trajectbegeleiding", "gtb TRAJECTBEGELEIDING"])
def test_duplicate_line_name_is_refused_and_nothing_is_written(net, login, name):
    before = snapshot()
    response = login(net.admin).post(reverse("network:line_create"), line_data(net, name=name))
    assert response.status_code == 200
    assert "A referral line with this name already exists." in response.content.decode()
    assert snapshot() == before


def test_too_long_line_name_is_refused_and_nothing_is_written(net, login):
    before = snapshot()
    response = login(net.admin).post(reverse("network:line_create"), line_data(net, name="x" * 151))
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert snapshot() == before


@pytest.mark.parametrize(
    "field,value", [("indications", ["made_up"]), ("default_trajectory_type", "made_up")]
)
def test_unknown_indication_or_trajectory_type_is_refused(net, login, field, value):
    before = snapshot()
    response = login(net.admin).post(reverse("network:line_create"), line_data(net, **{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert snapshot() == before


def test_a_line_without_screeners_or_trajectory_type_is_allowed(net, login):
    response = login(net.admin).post(
        reverse("network:line_create"),
        line_data(net, screeners=[], default_trajectory_type="", indications=[]),
    )
    assert response.status_code == 302
    line = ReferralLine.objects.get(name="SaRA IPS")
    assert line.indications == [] and line.default_trajectory_type == "" and not line.screeners.exists()


def test_line_form_lists_screening_candidates_with_their_organisation(net, login):
    form = login(net.admin).get(reverse("network:line_create")).context["form"]
    candidates = set(form.fields["screeners"].queryset)
    assert candidates == {net.screener, net.coordinator, net.gtb_screener}
    content = login(net.admin).get(reverse("network:line_create")).content.decode()
    assert f"{net.gtb_screener} — GTB Antwerpen (screener)" in content


def test_line_list_shows_owner_screeners_and_trajectory_type(net, login):
    content = login(net.admin).get(reverse("network:line_list")).content.decode()
    row = content.split(">SaRA arbeidscoach</a>")[1].split("</tr>")[0]
    assert "SaRA Arbeidscoaching" in row
    assert str(net.screener) in row
    assert "Arbeidscoach-voortraject" in row


def test_action_refuses_unknown_indications_even_without_the_form(net):
    with pytest.raises(DomainError) as raised:
        actions.create_line(actor_for(net.admin), name="Elders", organisation=net.sara, indications=["nope"])
    assert raised.value.field == "indications"
    assert not ReferralLine.objects.filter(name="Elders").exists()
