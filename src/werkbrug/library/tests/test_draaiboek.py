"""The draaiboek in versions (issue 18 point 2): the network admin changes an indication's wording
or triage rule in a draft and publishes it as a new version; a referral keeps the version it was
triaged under and shows that wording, a new referral uses the published one."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from werkbrug.library.models import Announcement
from werkbrug.library.tests.data import NEW_WORDING, publish_wording
from werkbrug.network import draaiboek_actions
from werkbrug.network.indications import FIRST, of_versions, published
from werkbrug.network.models import DraaiboekStatus, DraaiboekVersion, Indication
from werkbrug.referrals.triage import LineIndex
from werkbrug.testing import actor_for, client_of

pytestmark = pytest.mark.django_db

OLD_WORDING = FIRST["low_threshold"]
QUERIES = 8  # session, user, membership, published, draft, its indications, history, 2FA


def _edit(page, code="low_threshold", **post):
    data = {"label": NEW_WORDING, "group": "arbeidscoach"} | post
    return page.post(reverse("library:indication_edit", args=[code]), data)


def test_version_1_holds_the_indications_that_were_hard_coded():
    from importlib import import_module

    migration = import_module("werkbrug.network.migrations.0007_draaiboek_version_1")
    assert [(c, label) for c, label, _g, _t in migration.FIRST] == list(FIRST.items())
    book = published()
    assert book.version is not None and book.version.number == 1
    assert book.codes == list(FIRST)
    assert book.case_team == {"unclear_lead", "broad_support"}


def test_changing_a_wording_creates_a_new_version_and_old_referrals_keep_theirs(net):
    old = net.refer(net.new_client())
    assert old.draaiboek.number == 1
    admin = client_of(net.admin)
    assert _edit(admin).status_code == 302
    draft = DraaiboekVersion.objects.get(status=DraaiboekStatus.DRAFT)
    assert draft.number is None
    # Not in use before it is published.
    assert published().version.number == 1
    response = admin.post(reverse("library:publish", args=[draft.pk]), {"note": "Eenvoudiger verwoord."})
    assert response.status_code == 302
    assert published().version.number == 2
    new = net.refer(net.new_client(first_name="Els"))
    assert new.draaiboek.number == 2
    care = client_of(net.care)
    old_page = care.get(reverse("referrals:detail", args=[old.pk])).content.decode()
    new_page = care.get(reverse("referrals:detail", args=[new.pk])).content.decode()
    assert OLD_WORDING in old_page and NEW_WORDING not in old_page
    assert NEW_WORDING in new_page and OLD_WORDING not in new_page
    form = care.get(reverse("referrals:create", args=[new.client_id])).content.decode()
    assert NEW_WORDING in form and OLD_WORDING not in form
    # Version 1 stays as it was.
    assert Indication.objects.get(version__number=1, code="low_threshold").label == OLD_WORDING


def test_an_unpublished_draft_is_not_on_the_referral_form(net):
    client = net.new_client()
    assert _edit(client_of(net.admin)).status_code == 302
    form = client_of(net.care).get(reverse("referrals:create", args=[client.pk])).content.decode()
    assert OLD_WORDING in form and NEW_WORDING not in form


def test_a_triage_rule_changes_the_suggestion_only_for_referrals_of_the_new_version(net):
    old = net.refer(net.new_client())  # low_threshold + psychiatric_expertise: the coach line
    publish_wording(net, "psychiatric_expertise", label="Psychiatrische expertise nodig", to_case_team=True)
    new = net.refer(net.new_client(first_name="Els"))
    books = of_versions([old.draaiboek_id, new.draaiboek_id])
    index = LineIndex([net.coach_line, net.gtb_line])
    assert index.suggest(old.indications, books[old.draaiboek_id]).to_case_team is False
    assert index.suggest(new.indications, books[new.draaiboek_id]).to_case_team is True
    assert "Psychiatrische expertise nodig" in index.suggest(new.indications, books[new.draaiboek_id]).reasons


def test_the_versions_may_come_from_a_generator_and_none_is_the_published_one(net):
    old = net.refer(net.new_client())
    publish_wording(net, "psychiatric_expertise", label="Psychiatrische expertise nodig", to_case_team=True)
    # Read once: a generator (as a page passes its rows' versions) gives every version asked for.
    books = of_versions(pk for pk in (old.draaiboek_id, None))
    assert set(books) == {old.draaiboek_id, None}
    assert books[None].version == published().version != books[old.draaiboek_id].version


def test_a_new_indication_can_be_checked_once_published(net):
    admin = client_of(net.admin)
    response = admin.post(
        reverse("library:indication_new"),
        {"code": "debt_support", "label": "Schuldhulp loopt al", "group": "other"},
    )
    assert response.status_code == 302
    client = net.new_client()
    assert (
        "Schuldhulp loopt al"
        not in client_of(net.care).get(reverse("referrals:create", args=[client.pk])).content.decode()
    )
    draft = DraaiboekVersion.objects.get(status=DraaiboekStatus.DRAFT)
    admin.post(reverse("library:publish", args=[draft.pk]), {"note": "Schuldhulp toegevoegd."})
    assert (
        "Schuldhulp loopt al"
        in client_of(net.care).get(reverse("referrals:create", args=[client.pk])).content.decode()
    )
    assert published().codes[-1] == "debt_support"


def test_publishing_announces_to_the_member_organisations_without_client_data(net):
    net.refer(net.new_client())
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        version = publish_wording(net)
    announcement = Announcement.objects.get()
    assert announcement.draaiboek == version
    assert set(announcement.organisations.all()) == {net.hospital, net.sara, net.gtb, net.other_care}
    addresses = sorted(address for message in mail.outbox for address in message.to)
    expected = sorted(
        u.email
        for u in (
            net.care,
            net.screener,
            net.coach,
            net.coordinator,
            net.gtb_coach,
            net.gtb_screener,
            net.outsider,
        )
    )
    assert addresses == expected
    for message in mail.outbox:
        text = message.subject + message.body
        assert "Peeters" not in text and "Jan" not in text and NEW_WORDING not in text


def test_publishing_twice_is_refused_naming_who_published(net):
    admin = client_of(net.admin)
    _edit(admin)
    draft = DraaiboekVersion.objects.get(status=DraaiboekStatus.DRAFT)
    url = reverse("library:publish", args=[draft.pk])
    assert admin.post(url, {"note": "Eerste keer."}).status_code == 302
    again = admin.post(url, {"note": "Eerste keer."})
    assert again.status_code == 200
    assert "already published this as version 2" in again.content.decode()
    assert DraaiboekVersion.objects.filter(status=DraaiboekStatus.PUBLISHED).count() == 2
    assert Announcement.objects.count() == 1


def test_an_edit_opened_before_someone_elses_change_is_refused(net):
    admin = client_of(net.admin)
    page = admin.get(reverse("library:indication_edit", args=["low_threshold"]))
    seen = page.context["seen"]
    draaiboek_actions.edit_indication(
        actor_for(net.admin), "low_threshold", label="Iemand anders", group="arbeidscoach", to_case_team=False
    )
    refused = _edit(admin, seen=seen)
    assert refused.status_code == 200
    assert "changed this indication" in refused.content.decode()
    assert (
        Indication.objects.get(version__status=DraaiboekStatus.DRAFT, code="low_threshold").label
        == "Iemand anders"
    )
    # Saving again, now on what they saved, is a conscious overwrite.
    assert _edit(admin, seen=refused.context["seen"]).status_code == 302


def test_a_double_submitted_edit_changes_once(net):
    admin = client_of(net.admin)
    seen = admin.get(reverse("library:indication_edit", args=["low_threshold"])).context["seen"]
    assert _edit(admin, seen=seen).status_code == 302
    assert _edit(admin, seen=seen, label="Tweede tekst").status_code == 200
    assert DraaiboekVersion.objects.filter(status=DraaiboekStatus.DRAFT).count() == 1
    assert (
        Indication.objects.get(version__status=DraaiboekStatus.DRAFT, code="low_threshold").label
        == NEW_WORDING
    )


@pytest.mark.parametrize(
    ("post", "field"),
    [
        ({"label": "   "}, "label"),
        ({"label": "x" * 301}, "label"),
        ({"group": "nowhere"}, "group"),
    ],
)
def test_bad_input_on_an_indication_writes_nothing(net, post, field):
    response = _edit(client_of(net.admin), **post)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not DraaiboekVersion.objects.filter(status=DraaiboekStatus.DRAFT).exists()


def test_a_duplicate_code_and_a_publish_without_note_are_refused(net):
    admin = client_of(net.admin)
    response = admin.post(
        reverse("library:indication_new"), {"code": "low_threshold", "label": "Dubbel", "group": "other"}
    )
    assert response.status_code == 200 and "already has an indication" in response.content.decode()
    _edit(admin)
    draft = DraaiboekVersion.objects.get(status=DraaiboekStatus.DRAFT)
    response = admin.post(reverse("library:publish", args=[draft.pk]), {"note": " "})
    assert response.status_code == 200
    assert DraaiboekVersion.objects.get(pk=draft.pk).status == DraaiboekStatus.DRAFT


def test_an_unknown_indication_is_404(net):
    assert client_of(net.admin).get(reverse("library:indication_edit", args=["made_up"])).status_code == 404


@pytest.mark.parametrize("who", ["care", "coach", "screener", "coordinator", "funder", "outsider"])
def test_only_the_network_admin_edits_and_publishes(net, who):
    page = client_of(getattr(net, who))
    assert page.get(reverse("library:indication_edit", args=["low_threshold"])).status_code == 404
    assert _edit(page).status_code == 404
    assert page.get(reverse("library:indication_new")).status_code == 404
    version = published().version
    assert page.post(reverse("library:publish", args=[version.pk]), {"note": "x"}).status_code == 404
    assert not DraaiboekVersion.objects.filter(status=DraaiboekStatus.DRAFT).exists()


def test_the_funder_does_not_read_the_draaiboek_pages(net):
    page = client_of(net.funder)
    assert page.get(reverse("library:draaiboek")).status_code == 404
    assert page.get(reverse("library:draaiboek_version", args=[1])).status_code == 404


def test_a_member_reads_the_draaiboek_and_an_earlier_version(net):
    publish_wording(net)
    page = client_of(net.care)
    current = page.get(reverse("library:draaiboek")).content.decode()
    assert NEW_WORDING in current
    assert reverse("library:indication_edit", args=["low_threshold"]) not in current
    earlier = page.get(reverse("library:draaiboek_version", args=[1])).content.decode()
    assert OLD_WORDING in earlier and NEW_WORDING not in earlier
    assert page.get(reverse("library:draaiboek_version", args=[9])).status_code == 404


@pytest.mark.parametrize("many", [False, True])
def test_the_draaiboek_page_runs_a_constant_number_of_queries(net, django_assert_max_num_queries, many):
    page = client_of(net.admin)
    if many:
        for n in range(6):
            publish_wording(net, label=f"Wording {n}")
        admin = actor_for(net.admin)
        for n in range(8):
            draaiboek_actions.add_indication(
                admin, code=f"extra_{n}", label=f"Extra {n}", group="other", to_case_team=False
            )
    page.get(reverse("library:draaiboek"))  # warm the session
    with django_assert_max_num_queries(QUERIES):
        response = page.get(reverse("library:draaiboek"))
    assert response.status_code == 200
    assert ("Extra 7" in response.content.decode()) is many


@pytest.mark.django_db(transaction=True)
def test_two_admins_publishing_the_same_draft_at_once_make_one_version(tnet):
    from werkbrug.network.models import Role
    from werkbrug.testing import make_user, one_done_one_refused, race

    second = make_user("admin2", tnet.network_org, Role.NETWORK_ADMIN)
    draft = draaiboek_actions.edit_indication(
        actor_for(tnet.admin), "low_threshold", label=NEW_WORDING, group="arbeidscoach", to_case_team=False
    ).version
    url = reverse("library:publish", args=[draft.pk])
    pages = [client_of(tnet.admin), client_of(second)]
    responses = race(*[lambda page=page: page.post(url, {"note": "Tegelijk."}) for page in pages])
    _done, refused = one_done_one_refused(responses)
    assert "already published this as version 2" in refused.content.decode()
    assert DraaiboekVersion.objects.filter(status=DraaiboekStatus.PUBLISHED).count() == 2
    assert Announcement.objects.count() == 1
