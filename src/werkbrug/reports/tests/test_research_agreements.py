"""Data-access agreements: the network admin records and ends them on their own pages (others get
404); each change is audited; the rules of an agreement hold; two admins ending one agreement at once
end it once; the list's queries do not grow with its rows."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.network.models import Membership, Organisation, OrganisationKind, OrganisationType, Role
from werkbrug.reports.agreements import record_agreement
from werkbrug.reports.models import DataAccessAgreement
from werkbrug.testing import actor_for, client_of, make_user, one_done_one_refused, race

LIST = reverse("reports:agreements")
CREATE = reverse("reports:agreement_create")
EXPORT = reverse("reports:research_export")  # the old direct URL: off to the page that prepares the file


def end_url(agreement: DataAccessAgreement) -> str:
    return reverse("reports:agreement_end", args=[agreement.pk])


@pytest.fixture
def researcher(net):
    org = Organisation.objects.create(
        name="Onderzoeksgroep Werk", kind=OrganisationKind.OTHER, org_type=OrganisationType.OTHER
    )
    return make_user("researcher", org, Role.RESEARCHER)


def form(researcher, **overrides) -> dict[str, object]:
    return {
        "researcher": Membership.objects.get(user=researcher).pk,
        "project": "Evaluatie werk en herstel",
        "purpose": "Welke trajecten leiden tot betaald werk.",
        "from_year": "2024",
        "to_year": "2025",
        "approved_on": "2026-01-05",
        "expires_on": "2026-12-31",
        **overrides,
    }


def record(net, researcher, **overrides) -> DataAccessAgreement:
    response = client_of(net.admin).post(CREATE, form(researcher, **overrides))
    assert response.status_code == 302, response.content.decode()
    return DataAccessAgreement.objects.latest("pk")


def test_the_admin_records_an_agreement_and_the_researcher_can_download(frozen, net, researcher):
    response = client_of(net.admin).post(CREATE, form(researcher))
    assert response.status_code == 302 and response["Location"] == LIST
    agreement = DataAccessAgreement.objects.get()
    assert (agreement.researcher.user, agreement.project, agreement.from_year, agreement.to_year) == (
        researcher, "Evaluatie werk en herstel", 2024, 2025
    )  # fmt: skip
    assert (agreement.approved_on, agreement.expires_on) == (
        datetime.date(2026, 1, 5),
        datetime.date(2026, 12, 31),
    )
    assert (agreement.recorded_by, agreement.recorded_by_organisation) == (net.admin, net.network_org)
    event = AuditEvent.objects.get(object_type="dataaccessagreement", action=AuditAction.CREATE)
    assert (event.object_id, event.user, event.client_id) == (agreement.pk, net.admin, None)
    assert client_of(researcher).get(EXPORT, {"year": 2025}).status_code == 302
    page = client_of(net.admin).get(LIST).content.decode()
    assert "Evaluatie werk en herstel" in page and end_url(agreement) in page


def test_the_admin_ends_an_agreement_after_confirming_and_downloads_stop(frozen, net, researcher):
    agreement = record(net, researcher)
    admin = client_of(net.admin)
    page = admin.get(end_url(agreement)).content.decode()
    assert 'data-confirm="' in page and 'name="confirm"' in page
    # Without the confirmation nothing ends.
    assert admin.post(end_url(agreement), {}).status_code == 200
    agreement.refresh_from_db()
    assert agreement.revoked_at is None
    assert client_of(researcher).get(EXPORT, {"year": 2025}).status_code == 302
    response = admin.post(end_url(agreement), {"confirm": "on"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.revoked_at is not None, agreement.revoked_by) == (True, net.admin)
    event = AuditEvent.objects.get(object_type="dataaccessagreement", action=AuditAction.UPDATE)
    assert event.object_id == agreement.pk
    assert client_of(researcher).get(EXPORT, {"year": 2025}).status_code == 404
    # Ending it again is refused, naming who ended it.
    again = admin.post(end_url(agreement), {"confirm": "on"})
    assert again.status_code == 200
    assert "already ended this agreement" in again.content.decode()
    assert (
        AuditEvent.objects.filter(object_type="dataaccessagreement", action=AuditAction.UPDATE).count() == 1
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"from_year": "2026", "to_year": "2025"}, "The first year comes before the last year."),
        ({"approved_on": "2026-03-01"}, "Record an agreement once it is approved."),
        ({"expires_on": "2026-01-01"}, "An agreement expires after its approval."),
        ({"approved_on": "2025-01-01", "expires_on": "2026-02-15"}, "This agreement has already expired."),
        ({"from_year": "2009"}, "Ensure this value is greater than or equal to 2010."),
        ({"project": "  "}, "This field is required."),
    ],
)
def test_an_agreement_that_breaks_a_rule_is_refused_and_nothing_is_written(
    frozen, net, researcher, overrides, message
):
    response = client_of(net.admin).post(CREATE, form(researcher, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DataAccessAgreement.objects.exists()


def test_an_agreement_is_only_for_a_researcher(frozen, net, researcher):
    funder = Membership.objects.get(user=net.funder).pk
    response = client_of(net.admin).post(CREATE, {**form(researcher), "researcher": funder})
    assert response.status_code == 200
    assert not DataAccessAgreement.objects.exists()
    # The funder is not among the choices at all.
    page = client_of(net.admin).get(CREATE).content.decode()
    assert f'value="{funder}"' not in page
    assert f'value="{Membership.objects.get(user=researcher).pk}"' in page


def test_the_action_itself_refuses_a_membership_that_is_not_a_researcher_and_a_caller_who_is_no_admin(
    frozen, net, researcher
):
    values = {
        "project": "P",
        "purpose": "Doel.",
        "from_year": 2024,
        "to_year": 2025,
        "approved_on": datetime.date(2026, 1, 5),
        "expires_on": datetime.date(2026, 12, 31),
    }
    with pytest.raises(DomainError, match="active researcher"):
        record_agreement(actor_for(net.admin), researcher=Membership.objects.get(user=net.funder), **values)
    with pytest.raises(DomainError, match="Only a network admin"):
        record_agreement(actor_for(net.funder), researcher=Membership.objects.get(user=researcher), **values)
    assert not DataAccessAgreement.objects.exists()


@pytest.mark.parametrize("persona", ["funder", "coordinator", "coach", "care", "outsider", "researcher"])
def test_everyone_but_the_network_admin_gets_404_on_the_agreement_pages_and_nothing_is_written(
    frozen, net, researcher, persona
):
    agreement = record(net, researcher)
    user = researcher if persona == "researcher" else getattr(net, persona)
    client = client_of(user)
    for url in (LIST, CREATE, end_url(agreement)):
        assert client.get(url).status_code == 404, url
    assert client.post(CREATE, form(researcher, project="Anders")).status_code == 404
    assert client.post(end_url(agreement), {"confirm": "on"}).status_code == 404
    assert DataAccessAgreement.objects.count() == 1
    agreement.refresh_from_db()
    assert agreement.revoked_at is None


def test_ending_an_agreement_that_does_not_exist_is_404(frozen, net, researcher):
    agreement = record(net, researcher)
    assert (
        client_of(net.admin).get(reverse("reports:agreement_end", args=[agreement.pk + 1])).status_code == 404
    )


def test_the_agreement_list_runs_the_same_queries_for_one_and_for_many(
    frozen, net, researcher, django_assert_max_num_queries
):
    admin = client_of(net.admin)
    record(net, researcher, project="Project 0")
    with django_assert_max_num_queries(8):
        response = admin.get(LIST)
    assert "Project 0" in response.content.decode()
    for number in range(1, 30):
        other = make_user(f"researcher{number}", researcher.memberships.get().organisation, Role.RESEARCHER)
        record(net, other, project=f"Project {number}")
    with django_assert_max_num_queries(8):
        response = admin.get(LIST)
    assert "Project 29" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_admins_ending_one_agreement_at_once_end_it_once(tnet):
    org = Organisation.objects.create(
        name="Onderzoek", kind=OrganisationKind.OTHER, org_type=OrganisationType.OTHER
    )
    researcher = make_user("researcher", org, Role.RESEARCHER)
    second_admin = make_user("admin2", tnet.network_org, Role.NETWORK_ADMIN)
    agreement = record(
        tnet, researcher, approved_on="2020-01-01", expires_on="2099-12-31", from_year="2020", to_year="2021"
    )
    clients = [client_of(tnet.admin), client_of(second_admin)]
    responses = race(*(lambda c=c: c.post(end_url(agreement), {"confirm": "on"}) for c in clients))
    one_done_one_refused(responses)
    assert (
        AuditEvent.objects.filter(object_type="dataaccessagreement", action=AuditAction.UPDATE).count() == 1
    )
