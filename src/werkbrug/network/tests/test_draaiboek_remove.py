"""Removing an indication from the draaiboek (issue 18 leftover): the removal goes into the draft
and becomes a new version when published; earlier versions and the referrals triaged under them
keep the indication, new referrals and their triage suggestion no longer use it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.library import actions as library_actions
from werkbrug.network import draaiboek_actions
from werkbrug.network.indications import FIRST, of_versions, published
from werkbrug.network.models import DraaiboekStatus, DraaiboekVersion, Indication
from werkbrug.referrals.triage import LineIndex
from werkbrug.testing import actor_for, client_of

pytestmark = pytest.mark.django_db

CODE = "psychiatric_expertise"
WORDING = FIRST[CODE]


def _url(code: str = CODE) -> str:
    return reverse("network:indication_remove", args=[code])


def _opened(page) -> dict[str, str]:
    """What the removal page carries: the version it showed and what it showed of the indication."""
    response = page.get(_url())
    assert response.status_code == 200
    return _sent(response)


def _sent(response) -> dict[str, str]:
    form = response.context["form"]
    return {
        "opened": str(form["opened"].value()),
        "on_draft": str(form["on_draft"].value()),
        "seen": response.context["seen"],
    }


def _publish(net, note: str = "Indicatie geschrapt.") -> DraaiboekVersion:
    draft = DraaiboekVersion.objects.get(status=DraaiboekStatus.DRAFT)
    return library_actions.publish_draaiboek(actor_for(net.admin), draft, note=note)


def _draft_codes() -> list[str]:
    return list(
        Indication.objects.filter(version__status=DraaiboekStatus.DRAFT)
        .order_by("position")
        .values_list("code", flat=True)
    )


def test_the_removal_page_asks_for_confirmation_and_names_the_indication(net):
    response = client_of(net.admin).get(_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "data-confirm=" in body and WORDING in body
    assert response.context["form"]["opened"].value() == published().version.pk
    # The draaiboek page links it for the network admin only.
    assert _url() in client_of(net.admin).get(reverse("library:draaiboek")).content.decode()
    assert _url() not in client_of(net.care).get(reverse("library:draaiboek")).content.decode()


def test_removing_makes_a_new_version_and_earlier_referrals_keep_the_indication(net):
    old = net.refer(net.new_client())
    assert old.indications == ["low_threshold", CODE]
    admin = client_of(net.admin)
    response = admin.post(_url(), _opened(admin))
    assert response.status_code == 302 and response["Location"] == reverse("library:draaiboek")
    assert _draft_codes() == [code for code in FIRST if code != CODE]
    # Not in use before it is published.
    assert CODE in published().codes
    version = _publish(net)
    assert version.number == 2 and published().codes == [code for code in FIRST if code != CODE]
    # Version 1 keeps it, with its wording.
    assert Indication.objects.get(version__number=1, code=CODE).label == WORDING
    assert WORDING in admin.get(reverse("library:draaiboek_version", args=[1])).content.decode()
    assert WORDING not in admin.get(reverse("library:draaiboek_version", args=[2])).content.decode()
    # The referral triaged under version 1 still shows it; the form for a new one no longer offers it.
    care = client_of(net.care)
    assert WORDING in care.get(reverse("referrals:detail", args=[old.pk])).content.decode()
    new_client = net.new_client(first_name="Els")
    assert WORDING not in care.get(reverse("referrals:create", args=[new_client.pk])).content.decode()
    with pytest.raises(draaiboek_actions.DomainError, match="Unknown indication"):
        net.refer(new_client)
    audit = AuditEvent.objects.get(action=AuditAction.DELETE, object_type="indication")
    assert audit.summary == CODE and audit.client_id is None and audit.user == net.admin


def test_the_triage_suggestion_after_the_removal_no_longer_uses_it(net):
    # "unclear_lead" is a case-team indication: with it the suggestion is the case team.
    admin = client_of(net.admin)
    page = admin.get(reverse("network:indication_remove", args=["unclear_lead"]))
    seen = _sent(page)
    assert admin.post(reverse("network:indication_remove", args=["unclear_lead"]), seen).status_code == 302
    version = _publish(net)
    books = of_versions([None, version.pk])
    first = DraaiboekVersion.objects.get(number=1)
    books |= of_versions([first.pk])
    index = LineIndex([net.coach_line, net.gtb_line])
    checked = ["unclear_lead", "vulnerability_background"]
    before = index.suggest(checked, books[first.pk])
    after = index.suggest(checked, books[version.pk])
    assert before.to_case_team is True and before.line == net.gtb_line
    assert after.to_case_team is False and after.line == net.gtb_line
    assert after.reasons == [FIRST["vulnerability_background"]]
    # The published draaiboek (what a new referral is triaged under) is the new version.
    assert index.suggest(checked).to_case_team is False


def test_an_indication_added_and_removed_in_the_same_draft_never_reaches_a_version(net):
    admin = actor_for(net.admin)
    draaiboek_actions.add_indication(
        admin, code="debt", label="Schuldhulp", group="other", to_case_team=False
    )
    draft = DraaiboekVersion.objects.get(status=DraaiboekStatus.DRAFT)
    draaiboek_actions.remove_indication(admin, "debt", opened=draft, on_draft=True)
    assert "debt" not in _draft_codes()
    assert _publish(net).indications.filter(code="debt").count() == 0


@pytest.mark.parametrize("who", ["care", "coach", "screener", "coordinator", "funder", "outsider"])
def test_only_the_network_admin_removes(net, who):
    page = client_of(getattr(net, who))
    assert page.get(_url()).status_code == 404
    opened = published().version.pk
    assert page.post(_url(), {"opened": opened}).status_code == 404
    assert not DraaiboekVersion.objects.filter(status=DraaiboekStatus.DRAFT).exists()
    assert CODE in published().codes
    with pytest.raises(draaiboek_actions.DomainError):
        draaiboek_actions.remove_indication(actor_for(getattr(net, who)), CODE, opened=published().version)


def test_an_unknown_indication_is_404(net):
    admin = client_of(net.admin)
    assert admin.get(_url("made_up")).status_code == 404
    assert admin.post(_url("made_up"), {"opened": published().version.pk}).status_code == 404


def test_a_removal_opened_before_a_new_version_was_published_is_refused(net):
    admin = client_of(net.admin)
    sent = _opened(admin)  # on version 1
    draaiboek_actions.edit_indication(
        actor_for(net.admin), "low_threshold", label="Lage drempel", group="arbeidscoach", to_case_team=False
    )
    _publish(net, note="Andere indicatie herwerkt.")
    refused = admin.post(_url(), sent)
    assert refused.status_code == 200
    assert "published version 2" in refused.content.decode()
    assert CODE in published().codes
    assert not DraaiboekVersion.objects.filter(status=DraaiboekStatus.DRAFT).exists()
    # The page now carries version 2: sending it again is a decision on what it shows.
    again = _sent(refused)
    assert again["opened"] == str(published().version.pk)
    assert admin.post(_url(), again).status_code == 302
    assert CODE not in _draft_codes()


def test_a_removal_opened_on_a_draft_that_was_published_since_is_refused(net):
    admin = actor_for(net.admin)
    draaiboek_actions.edit_indication(admin, "low_threshold", label="Lage drempel", group="arbeidscoach", to_case_team=False)  # fmt: skip
    page = client_of(net.admin)
    sent = _opened(page)
    assert sent["opened"] == str(DraaiboekVersion.objects.get(status=DraaiboekStatus.DRAFT).pk)
    _publish(net)
    refused = page.post(_url(), sent)
    assert refused.status_code == 200 and "published the draft as version 2" in refused.content.decode()
    assert CODE in published().codes
    assert not DraaiboekVersion.objects.filter(status=DraaiboekStatus.DRAFT).exists()


def test_a_removal_opened_before_someone_changed_the_indication_is_refused(net):
    page = client_of(net.admin)
    sent = _opened(page)
    draaiboek_actions.edit_indication(
        actor_for(net.admin),
        CODE,
        label="Psychiatrische kennis nodig",
        group="arbeidscoach",
        to_case_team=False,
    )
    refused = page.post(_url(), sent)
    assert refused.status_code == 200
    assert "changed this indication" in refused.content.decode()
    assert CODE in _draft_codes()
    # Sent again from the refused page (it shows the new wording): a conscious removal.
    again = _sent(refused)
    assert page.post(_url(), again).status_code == 302
    assert CODE not in _draft_codes()


def test_a_double_submitted_removal_removes_once_and_says_who_removed_it(net):
    page = client_of(net.admin)
    sent = _opened(page)
    assert page.post(_url(), sent).status_code == 302
    again = page.post(_url(), sent)
    assert again.status_code == 200
    assert f"{net.admin.get_full_name() or net.admin} removed this indication" in again.content.decode()
    assert DraaiboekVersion.objects.filter(status=DraaiboekStatus.DRAFT).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.DELETE, object_type="indication").count() == 1
    # Once it is gone from the draft, the page itself is 404.
    assert page.get(_url()).status_code == 404


def test_the_last_indication_stays(net):
    admin = actor_for(net.admin)
    codes = list(FIRST)
    for code in codes[:-1]:
        draaiboek_actions.remove_indication(
            admin, code, opened=draaiboek_actions.open_draft(admin), on_draft=True
        )
    with pytest.raises(draaiboek_actions.DomainError, match="at least one"):
        draaiboek_actions.remove_indication(
            admin, codes[-1], opened=draaiboek_actions.open_draft(admin), on_draft=True
        )
    assert _draft_codes() == codes[-1:]


@pytest.mark.django_db(transaction=True)
def test_two_admins_removing_the_same_indication_at_once_remove_it_once(tnet):
    from werkbrug.network.models import Role
    from werkbrug.testing import make_user, one_done_one_refused, race

    second = make_user("admin2", tnet.network_org, Role.NETWORK_ADMIN)
    pages = [client_of(tnet.admin), client_of(second)]
    sent = [_opened(page) for page in pages]
    responses = race(
        *[
            lambda page=page, data=data: page.post(_url(), data)
            for page, data in zip(pages, sent, strict=True)
        ]
    )
    _done, refused = one_done_one_refused(responses)
    assert "removed this indication from the draft" in refused.content.decode()
    assert DraaiboekVersion.objects.filter(status=DraaiboekStatus.DRAFT).count() == 1
    assert CODE not in _draft_codes() and len(_draft_codes()) == len(FIRST) - 1
    assert AuditEvent.objects.filter(action=AuditAction.DELETE, object_type="indication").count() == 1
