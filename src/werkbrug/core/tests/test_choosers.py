"""The searchable choosers (core.choosers, issue 14): the endpoint offers at most 20 rows of what
the actor may choose, and the form field accepts exactly those, with JavaScript (a pk) and without
(the typed text)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from werkbrug.core.choosers import LIMIT
from werkbrug.network.models import Organisation, OrganisationKind, OrganisationType, TrajectoryType
from werkbrug.trajectories.forms import HandoverForm
from werkbrug.trajectories.models import Handover

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    """The messages are checked in English (the Dutch and French come with the catalogues)."""
    settings.LANGUAGE_CODE = "en"


def choose(client, name, q):
    return client.get(reverse("core:choose", args=[name]), {"q": q})


def picks(response):
    """The (pk, label) of each result button."""
    html = response.content.decode()
    return [(int(pk), label) for pk, label in re.findall(r'data-pk="(\d+)" data-label="([^"]*)"', html)]


def make_orgs(n, prefix="Werkplaats", kind=OrganisationKind.WORK):
    return Organisation.objects.bulk_create(
        Organisation(name=f"{prefix} {i:03d}", kind=kind, org_type=OrganisationType.GTB) for i in range(n)
    )


# --- the endpoint ----------------------------------------------------------------------------------


def test_the_endpoint_filters_on_the_typed_text(net, login):
    make_orgs(3, "Werkplaats")
    make_orgs(2, "Zorgpunt", kind=OrganisationKind.CARE)
    found = picks(choose(login(net.coach), "handover_organisations", "zorgPUNT"))
    assert sorted(label for _pk, label in found) == ["Zorgpunt 000", "Zorgpunt 001"]


def test_every_word_must_match(net, login):
    make_orgs(3, "Werkplaats Gent")
    make_orgs(3, "Werkplaats Brugge")
    found = picks(choose(login(net.coach), "handover_organisations", "werkplaats brug"))
    assert sorted(label for _pk, label in found) == [f"Werkplaats Brugge {i:03d}" for i in range(3)]


def test_the_endpoint_returns_at_most_20_and_says_there_are_more(net, login):
    make_orgs(LIMIT + 5)
    response = choose(login(net.coach), "handover_organisations", "werkplaats")
    assert len(picks(response)) == LIMIT == 20
    assert "More results: type more." in response.content.decode()


def test_a_short_answer_does_not_say_there_are_more(net, login):
    make_orgs(LIMIT)
    response = choose(login(net.coach), "handover_organisations", "werkplaats")
    assert len(picks(response)) == LIMIT
    assert "More results" not in response.content.decode()


def test_an_empty_search_lists_nothing(net, login):
    make_orgs(5)
    assert picks(choose(login(net.coach), "handover_organisations", " ")) == []


def test_the_endpoint_never_offers_what_the_actor_may_not_choose(net, login):
    # Handing over: never the actor's own organisation, an inactive one, a funder or the network.
    Organisation.objects.create(
        name="SaRA Gesloten", kind=OrganisationKind.WORK, org_type=OrganisationType.GTB, is_active=False
    )
    found = {label for _pk, label in picks(choose(login(net.coach), "handover_organisations", "a"))}
    assert net.gtb.name in found
    assert net.hospital.name in found
    assert net.sara.name not in found  # the coach's own organisation, the lead
    assert "SaRA Gesloten" not in found
    assert net.funder_org.name not in found and net.network_org.name not in found
    # From GTB's side, SaRA is offered and GTB is not.
    found = {label for _pk, label in picks(choose(login(net.gtb_coach), "handover_organisations", "a"))}
    assert net.sara.name in found and net.gtb.name not in found


def test_the_coach_chooser_offers_only_the_coaches_of_the_own_organisation(net, login):
    found = {pk for pk, _label in picks(choose(login(net.coordinator), "coaches", "coach"))}
    assert found == {net.coach.pk}
    found = {pk for pk, _label in picks(choose(login(net.gtb_screener), "coaches", "coach"))}
    assert found == {net.gtb_coach.pk}


def test_an_unknown_chooser_is_404(net, login):
    assert choose(login(net.coach), "clients", "jan").status_code == 404


def test_the_endpoint_needs_a_login(net, client):
    response = choose(client, "handover_organisations", "gtb")
    assert response.status_code == 302
    assert reverse("core:login") in response["Location"]


# --- the field: a posted pk ------------------------------------------------------------------------


def handover(client, trajectory, **fields):
    data = {
        "new_type": TrajectoryType.objects.get(code="gtb").pk,
        "note": "Klaar voor een regulier traject.",
        "evidence": "signed_form",
        **fields,
    }
    return client.post(reverse("trajectories:handover_create", args=[trajectory.pk]), data)


def test_a_posted_pk_the_actor_may_choose_is_taken(net, login):
    trajectory = net.trajectory()
    response = handover(login(net.coach), trajectory, to_organisation=net.gtb.pk, to_organisation__q="GTB")
    assert response.status_code == 302
    assert Handover.objects.get().to_organisation == net.gtb


@pytest.mark.parametrize("org", ["sara", "funder_org", "network_org", "inactive"])
def test_a_posted_pk_outside_the_choosers_rows_is_a_form_error(net, login, org):
    if org == "inactive":
        target = make_orgs(1)[0]
        Organisation.objects.filter(pk=target.pk).update(is_active=False)
    else:
        target = getattr(net, org)
    trajectory = net.trajectory()
    response = handover(login(net.coach), trajectory, to_organisation=target.pk)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not Handover.objects.exists()


# --- the field without JavaScript: the typed text --------------------------------------------------


def test_without_javascript_one_match_is_taken(net, login):
    trajectory = net.trajectory()
    response = handover(login(net.coach), trajectory, to_organisation="", to_organisation__q="gtb antw")
    assert response.status_code == 302
    assert Handover.objects.get().to_organisation == net.gtb


def test_without_javascript_no_match_says_so(net, login):
    trajectory = net.trajectory()
    response = handover(login(net.coach), trajectory, to_organisation="", to_organisation__q="Nergenshuis")
    html = response.content.decode()
    assert response.status_code == 200
    assert "No organisation found for “Nergenshuis”." in html
    assert not Handover.objects.exists()


def test_without_javascript_several_matches_show_a_short_list_to_pick_from(net, login):
    make_orgs(3, "Werkplaats")
    make_orgs(LIMIT + 5, "Andere")
    trajectory = net.trajectory()
    page = login(net.coach)
    response = handover(page, trajectory, to_organisation="", to_organisation__q="werkplaats")
    html = response.content.decode()
    assert response.status_code == 200
    assert not Handover.objects.exists()
    radios = re.findall(r'<input type="radio" name="to_organisation" value="(\d+)"', html)
    expected = Organisation.objects.filter(name__startswith="Werkplaats").order_by("name")
    assert [int(pk) for pk in radios] == [o.pk for o in expected]
    assert "Andere 000" not in html
    # Picking one of them posts its pk (the radio), with the ambiguous text still in the box.
    response = handover(page, trajectory, to_organisation=radios[1], to_organisation__q="werkplaats")
    assert response.status_code == 302
    assert Handover.objects.get().to_organisation == expected[1]


def test_without_javascript_more_than_20_matches_list_at_most_20(net, login):
    make_orgs(LIMIT + 5)
    trajectory = net.trajectory()
    response = handover(login(net.coach), trajectory, to_organisation="", to_organisation__q="werkplaats")
    html = response.content.decode()
    assert len(re.findall(r'type="radio" name="to_organisation"', html)) == LIMIT
    assert "type more of the name" in html


def test_an_exact_name_wins_over_longer_names(net, login):
    Organisation.objects.create(name="GTB Antwerpen Noord", kind=OrganisationKind.WORK, org_type="GTB")
    trajectory = net.trajectory()
    response = handover(login(net.coach), trajectory, to_organisation="", to_organisation__q="gtb antwerpen")
    assert response.status_code == 302
    assert Handover.objects.get().to_organisation == net.gtb


def test_text_typed_over_a_prefilled_choice_is_searched_again(net, login):
    # Without JavaScript the hidden pk cannot be cleared: text that differs from the label the page
    # showed for it is what the user meant.
    trajectory = net.trajectory()
    response = handover(
        login(net.coach),
        trajectory,
        to_organisation=net.hospital.pk,
        to_organisation__label=net.hospital.name,
        to_organisation__q="GTB",
    )
    assert response.status_code == 302
    assert Handover.objects.get().to_organisation == net.gtb


def test_a_refused_form_shows_the_chosen_label_again(net):
    trajectory = net.trajectory()
    form = HandoverForm(
        {"to_organisation": str(net.gtb.pk), "to_organisation__q": "GTB Antwerpen", "note": ""},
        trajectory=trajectory,
    )
    assert not form.is_valid()
    html = str(form["to_organisation"])
    assert f'name="to_organisation" value="{net.gtb.pk}"' in html
    assert 'name="to_organisation__q" value="GTB Antwerpen"' in html
    assert 'type="search"' in html and 'autocomplete="off"' in html


# --- other choosers ----------------------------------------------------------------------------------


def test_the_network_admins_organisation_chooser_is_for_network_admins_only(net, login):
    found = {label for _pk, label in picks(choose(login(net.admin), "organisations", "a"))}
    assert {net.gtb.name, net.sara.name, net.funder_org.name} <= found
    assert picks(choose(login(net.coach), "organisations", "a")) == []


def test_the_referral_line_chooser_searches_the_line_and_its_organisation(net, login):
    found = {pk for pk, _label in picks(choose(login(net.care), "referral_lines", "gtb"))}
    assert found == {net.gtb_line.pk}
    net.gtb_line.is_active = False
    net.gtb_line.save()
    assert picks(choose(login(net.care), "referral_lines", "gtb")) == []


def test_a_membership_is_added_by_typing_the_organisation(net, login):
    from werkbrug.network.models import Membership

    response = login(net.admin).post(
        reverse("network:membership_add", args=[net.coach.pk]),
        {"organisation": "", "organisation__q": "GTB Antw", "role": "coach", "capacity": "10", "fte": "1"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Membership.objects.filter(user=net.coach, organisation=net.gtb).exists()


def test_the_team_people_chooser_offers_people_of_client_roles_with_their_organisation(net, login):
    found = dict(picks(choose(login(net.coach), "team_people", "gtbcoach")))
    assert found == {net.gtb_coach.pk: f"{net.gtb_coach} ({net.gtb.name})"}
    assert picks(choose(login(net.coach), "team_people", "funder")) == []  # no client role
    net.gtb_coach.is_active = False
    net.gtb_coach.save()
    assert picks(choose(login(net.coach), "team_people", "gtbcoach")) == []


def test_the_lead_organisation_chooser_offers_work_and_care_services_only(net, login):
    found = {label for _pk, label in picks(choose(login(net.coach), "lead_organisations", "e"))}
    assert net.hospital.name in found and net.other_care.name in found
    assert net.funder_org.name not in found and net.network_org.name not in found


@pytest.mark.parametrize("org", ["sara", "funder_org", "network_org", "inactive"])
def test_the_field_itself_refuses_a_pk_outside_the_choosers_rows(net, org):
    # The form, before any action runs: the chooser's queryset is the rule.
    if org == "inactive":
        target = make_orgs(1)[0]
        Organisation.objects.filter(pk=target.pk).update(is_active=False)
    else:
        target = getattr(net, org)
    trajectory = net.trajectory()
    data = {"to_organisation": str(target.pk), "new_type": "1", "note": "x", "evidence": "signed_form"}
    form = HandoverForm(data, trajectory=trajectory)
    assert not form.is_valid()
    assert "to_organisation" in form.errors
    # Typed by name, it is not found either.
    form = HandoverForm(
        {**data, "to_organisation": "", "to_organisation__q": target.name}, trajectory=trajectory
    )
    assert not form.is_valid() and "to_organisation" in form.errors


def test_the_coach_field_refuses_a_coach_of_another_organisation(net):
    from werkbrug.trajectories.forms import CoachForm

    trajectory = net.trajectory()
    assert not CoachForm({"coach": str(net.gtb_coach.pk)}, trajectory=trajectory).is_valid()
    assert CoachForm({"coach": str(net.coach.pk)}, trajectory=trajectory).is_valid()


@pytest.mark.parametrize("role", ["funder", "privacy_officer", "researcher"])
def test_roles_that_fill_in_no_such_form_get_404_from_every_chooser(net, login, role):
    """A funder, privacy officer or researcher has no form with a chooser: the endpoint does not
    exist for them, whatever it would list (show less)."""
    from werkbrug.core.choosers import _registry
    from werkbrug.network.models import Role
    from werkbrug.testing import make_user

    user = net.funder if role == "funder" else make_user(f"a-{role}", net.sara, Role(role))
    client = login(user)
    assert _registry, "the areas registered their choosers"
    for name in _registry:
        assert client.get(reverse("core:choose", args=[name]), {"q": "a"}).status_code == 404, name
    # A coach of the same organisation may search its coaches.
    assert login(net.coach).get(reverse("core:choose", args=["coaches"]), {"q": "a"}).status_code == 200
