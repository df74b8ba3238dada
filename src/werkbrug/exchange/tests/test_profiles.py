"""The competency and vocational profile: care partners read and write every section, a work partner
exactly the sections the client shares with it (never a care-only one), on the pages, in the API
and in the PDF; every save is a version; every view is audited."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from werkbrug.clients.actions import grant_consent, withdraw_consent
from werkbrug.clients.models import CARE_ONLY_SECTIONS, Client, Consent, ProfileSection
from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.exchange import actions
from werkbrug.exchange.models import MAX_SECTION_TEXT, SectionVersion
from werkbrug.network.models import ApiToken, Membership, User
from werkbrug.testing import SIGNED, Network, actor_for, pdf_info, pdf_text

ALL = list(ProfileSection.values)
SHARED = ["skills", "strengths", "ips_preferences"]


def marker(section: str) -> str:
    return f"MARKER-{section}-7f3a"


def fill(net: Network, person: Client, by: User | None = None, suffix: str = "") -> None:
    """Every section gets its own marker text, written by the care professional."""
    for section in ALL:
        actions.save_section(actor_for(by or net.care), person, section, marker(section) + suffix)


def share(net: Network, person: Client, categories: list[str], recipient=None, **dates) -> Consent:
    """A profile consent. grant_consent refuses a care-only section for a work partner (issue 12), so
    one named here is written onto the row afterwards, as a consent recorded before that rule: the
    tests below prove such a row still never opens it."""
    allowed = [c for c in categories if c not in CARE_ONLY_SECTIONS]
    consent = grant_consent(
        actor_for(net.care),
        person,
        purpose="profile",
        recipient=recipient or net.sara,
        categories=allowed or ["identity"],
        evidence=SIGNED,
        **dates,
    )
    if allowed != categories:
        Consent.objects.filter(pk=consent.pk).update(categories=sorted(set(categories)))
        consent.refresh_from_db()
    return consent


def api_get(client, user: User, path: str):
    membership = Membership.objects.filter(user=user).order_by("pk").first()
    key = ApiToken.issue(membership, "test")[1]
    return client.get(path, headers={"Authorization": f"Bearer {key}"})


def markers_in(text: str) -> set[str]:
    return {section for section in ALL if marker(section) in text}


def urls(person: Client, section: str = "skills") -> dict[str, str]:
    return {
        "profile": reverse("exchange:profile", args=[person.pk]),
        "edit": reverse("exchange:profile_edit", args=[person.pk, section]),
        "history": reverse("exchange:profile_history", args=[person.pk, section]),
        "pdf": reverse("exchange:profile_pdf", args=[person.pk]),
        "api": f"/api/clients/{person.pk}/profile",
    }


@pytest.fixture
def person(net):
    """A client referred by the hospital and guided by SaRA, every section filled in by care."""
    trajectory = net.trajectory()
    fill(net, trajectory.client)
    return trajectory.client


# --- care partners --------------------------------------------------------------------------------


def test_care_partner_reads_every_section_the_care_context_included(net, login, person):
    response = login(net.care).get(urls(person)["profile"])
    assert response.status_code == 200
    html = response.content.decode()
    assert markers_in(html) == set(ALL)
    assert 'id="section-care_context"' in html
    assert "care partners only" in html
    # Who wrote it, for which organisation.
    assert str(net.care) in html and net.hospital.name in html


def test_competency_profile_comes_before_the_vocational_profile(net, login, person):
    html = login(net.care).get(urls(person)["profile"]).content.decode()
    positions = [html.index(f'id="section-{section}"') for section in ALL]
    assert positions == sorted(positions)
    assert html.index("Competency profile") < html.index("Vocational profile (IPS)")


def test_care_partner_writes_the_care_context_through_the_page(net, login, person):
    page = login(net.care)
    url = urls(person, "care_context")["edit"]
    form = page.get(url)
    assert form.status_code == 200
    assert marker("care_context") in form.content.decode()  # prefilled with the current text
    response = page.post(url, {"text": "  Opgenomen in 2024; nu ambulant.  "})
    assert response.status_code == 302
    assert response.url == urls(person)["profile"] + "#section-care_context"
    current = SectionVersion.objects.filter(client=person, section="care_context").current().get()
    assert current.text == "Opgenomen in 2024; nu ambulant."
    assert (current.author, current.organisation) == (net.care, net.hospital)


def test_an_unknown_section_answers_404(net, login, person):
    page = login(net.care)
    assert page.get(urls(person, "nonsense")["edit"]).status_code == 404
    assert page.get(urls(person, "nonsense")["history"]).status_code == 404


# --- work partners --------------------------------------------------------------------------------


def test_work_partner_sees_exactly_the_consented_sections_on_the_page(net, login, person):
    share(net, person, [*SHARED, "care_context", "identity"])
    html = login(net.coach).get(urls(person)["profile"]).content.decode()
    assert markers_in(html) == set(SHARED)
    # Not even the titles of the other sections.
    for section in set(ALL) - set(SHARED):
        assert f'id="section-{section}"' not in html
    assert "care partners only" not in html
    assert str(ProfileSection.WORK_HISTORY.label).lower() not in html.lower()
    assert str(ProfileSection.CARE_CONTEXT.label).lower() not in html.lower()


def test_work_partner_reads_the_history_of_a_shared_section_only(net, login, person):
    share(net, person, SHARED)
    page = login(net.coach)
    shared = page.get(urls(person, "skills")["history"])
    assert shared.status_code == 200
    assert marker("skills") in shared.content.decode()
    for section in ["work_history", "care_context", "ips_lessons"]:
        assert page.get(urls(person, section)["history"]).status_code == 404, section
        assert page.get(urls(person, section)["edit"]).status_code == 404, section


def test_work_partner_gets_exactly_the_consented_sections_from_the_api(net, client, person):
    share(net, person, [*SHARED, "care_context"])
    response = api_get(client, net.coach, urls(person)["api"])
    assert response.status_code == 200
    body = response.json()
    assert [item["section"] for item in body] == SHARED  # in the profile's order
    assert body[0] == {
        "section": "skills",
        "label": "skills",
        "text": marker("skills"),
        "author": {"id": net.care.pk, "name": str(net.care)},
        "organisation": {"id": net.hospital.pk, "name": net.hospital.name},
        "updated_at": body[0]["updated_at"],
    }
    assert "care_context" not in response.content.decode()


def test_work_partner_pdf_holds_the_consented_sections_and_nothing_else(net, login, person):
    share(net, person, [*SHARED, "care_context"])
    response = login(net.coach).get(urls(person)["pdf"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store, private"
    text = pdf_text(response.content)
    assert markers_in(text) == set(SHARED)
    assert person.full_name in text
    assert timezone.localdate().strftime("%d/%m/%Y") in text


def test_the_pdf_never_holds_the_care_context_even_when_care_prints_it(net, login, person):
    response = login(net.care).get(urls(person)["pdf"])
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert markers_in(text) == set(ALL) - CARE_ONLY_SECTIONS
    # A document for work partners: it does not name the care organisation that wrote it.
    assert net.hospital.name not in text


def test_the_pdf_is_a4(net, login, person):
    content = login(net.care).get(urls(person)["pdf"]).content
    assert "(A4)" in pdf_info(content)


def test_a_shared_section_not_yet_written_is_listed_on_the_page_but_left_out_of_the_pdf(net, login):
    person = net.trajectory().client
    actions.save_section(actor_for(net.care), person, "skills", marker("skills"))
    share(net, person, ["skills", "strengths"])
    page = login(net.coach)
    html = page.get(urls(person)["profile"]).content.decode()
    assert 'id="section-strengths"' in html and "Not filled in yet." in html
    text = pdf_text(page.get(urls(person)["pdf"]).content)
    assert marker("skills") in text and "Strengths" not in text
    assert [item["section"] for item in api_get(page, net.coach, urls(person)["api"]).json()] == ["skills"]


def test_care_context_never_reaches_a_work_partner_even_when_consented(net, login, client, person):
    share(net, person, ["care_context"])
    page = login(net.coach)
    for name in ["profile", "pdf"]:
        assert page.get(urls(person)[name]).status_code == 404, name
    for name in ["edit", "history"]:
        assert page.get(urls(person, "care_context")[name]).status_code == 404, name
    assert api_get(client, net.coach, urls(person)["api"]).status_code == 404
    with pytest.raises(DomainError):
        actions.save_section(actor_for(net.coach), person, "care_context", "Van de coach")


def test_a_consent_for_sara_shows_nothing_to_gtb(net, login, person):
    net.refer(person, line=net.gtb_line)  # GTB sees the file, but the profile is shared with SaRA only
    share(net, person, SHARED)
    assert login(net.gtb_coach).get(urls(person)["profile"]).status_code == 404


@pytest.mark.parametrize("how", ["withdrawn", "expired"])
def test_after_withdrawal_or_expiry_the_work_partner_gets_404(net, login, client, person, how):
    today = timezone.localdate()
    if how == "withdrawn":
        consent = share(net, person, SHARED)
        page = login(net.coach)
        assert page.get(urls(person)["profile"]).status_code == 200
        withdraw_consent(actor_for(net.care), consent)
    else:
        share(
            net,
            person,
            SHARED,
            given_on=today - datetime.timedelta(days=30),
            valid_until=today - datetime.timedelta(days=1),
        )
        page = login(net.coach)
    for name, url in urls(person, "skills").items():
        response = api_get(client, net.coach, url) if name == "api" else page.get(url)
        assert response.status_code == 404, name
    before = SectionVersion.objects.count()
    assert page.post(urls(person, "skills")["edit"], {"text": "Na intrekking"}).status_code == 404
    assert SectionVersion.objects.count() == before


def test_a_consent_valid_until_today_still_counts(net, login, person):
    share(net, person, SHARED, valid_until=timezone.localdate())
    assert login(net.coach).get(urls(person)["profile"]).status_code == 200


@pytest.mark.parametrize("persona", ["outsider", "gtb_coach", "admin", "funder"])
def test_outsider_gets_404_everywhere(net, login, client, person, persona):
    share(net, person, ALL)
    share(net, person, ALL, recipient=net.gtb)
    share(net, person, ALL, recipient=net.other_care)
    user = getattr(net, persona)
    page = login(user)
    for name, url in urls(person, "skills").items():
        response = api_get(client, user, url) if name == "api" else page.get(url)
        assert response.status_code == 404, name
    before = SectionVersion.objects.count()
    assert page.post(urls(person, "skills")["edit"], {"text": "Van buiten"}).status_code == 404
    assert SectionVersion.objects.count() == before


def test_an_unknown_client_gets_the_same_404(net, login, client):
    assert login(net.care).get(reverse("exchange:profile", args=[999999])).status_code == 404
    assert api_get(client, net.care, "/api/clients/999999/profile").json() == {"detail": "Not Found"}


# --- writing: versions ----------------------------------------------------------------------------


def test_work_partner_adds_a_version_to_a_shared_section_only(net, login, person):
    share(net, person, SHARED)
    coach = actor_for(net.coach)
    version = actions.save_section(coach, person, "skills", "Werkt nauwkeurig met hout.")
    assert (version.author, version.organisation) == (net.coach, net.sara)
    for section in ["work_history", "care_context"]:
        with pytest.raises(DomainError):
            actions.save_section(coach, person, section, "Niet gedeeld")
    response = login(net.coach).post(urls(person, "strengths")["edit"], {"text": "Houdt vol."})
    assert response.status_code == 302
    assert SectionVersion.objects.filter(client=person, section="strengths").count() == 2


def test_every_save_is_a_version_and_older_versions_stay_readable(net, login, person):
    share(net, person, SHARED)
    care = actor_for(net.care)
    actions.save_section(care, person, "skills", "Tweede versie")
    actions.save_section(actor_for(net.coach), person, "skills", "Derde versie")
    assert SectionVersion.objects.filter(client=person, section="skills").count() == 3
    page = login(net.coach)
    profile = page.get(urls(person)["profile"]).content.decode()
    assert "Derde versie" in profile and "Tweede versie" not in profile and marker("skills") not in profile
    history = page.get(urls(person, "skills")["history"]).content.decode()
    positions = [history.index(text) for text in ["Derde versie", "Tweede versie", marker("skills")]]
    assert positions == sorted(positions)  # newest first
    assert net.sara.name in history and net.hospital.name in history


def test_saving_the_same_text_again_writes_no_new_version(net, login, person):
    care = actor_for(net.care)
    current = SectionVersion.objects.filter(client=person, section="skills").get()
    creates = AuditEvent.objects.filter(action=AuditAction.CREATE).count()
    assert actions.save_section(care, person, "skills", f"  {marker('skills')}\n") == current
    page = login(net.care)
    response = page.post(urls(person)["edit"], {"text": marker("skills")}, follow=True)
    assert "Nothing changed: the text is the same as the current version." in response.content.decode()
    assert SectionVersion.objects.filter(client=person, section="skills").count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.CREATE).count() == creates


@pytest.mark.parametrize("text", ["", "   \n  ", "x" * (MAX_SECTION_TEXT + 1)])
def test_empty_or_overlong_text_is_refused_with_a_message(net, login, person, text):
    before = SectionVersion.objects.count()
    response = login(net.care).post(urls(person)["edit"], {"text": text})
    assert response.status_code == 200
    assert response.context["form"].errors["text"]
    assert SectionVersion.objects.count() == before
    with pytest.raises(DomainError) as refused:
        actions.save_section(actor_for(net.care), person, "skills", text)
    assert refused.value.field == "text"
    assert SectionVersion.objects.count() == before


def test_a_line_break_counts_as_one_character(net, login, person):
    text = "x\r\n" * (MAX_SECTION_TEXT // 2)  # 7,500 characters as submitted, 4,999 as stored
    response = login(net.care).post(urls(person)["edit"], {"text": text})
    assert response.status_code == 302
    current = SectionVersion.objects.filter(client=person, section="skills").current().get()
    assert current.text == ("x\n" * (MAX_SECTION_TEXT // 2)).strip()


def test_a_save_is_audited_as_a_create(net, person):
    version = actions.save_section(actor_for(net.care), person, "skills", "Nieuw")
    event = AuditEvent.objects.get(object_type="sectionversion", object_id=version.pk)
    assert (event.action, event.client_id, event.user) == (AuditAction.CREATE, person.pk, net.care)


# --- audit, links, queries ------------------------------------------------------------------------


def test_every_view_is_audited(net, login, client, person):
    share(net, person, SHARED)
    page = login(net.coach)
    AuditEvent.objects.all().delete()
    page.get(urls(person)["profile"])
    page.get(urls(person, "skills")["history"])
    page.get(urls(person, "skills")["edit"])
    page.get(urls(person)["pdf"])
    api_get(client, net.coach, urls(person)["api"])
    events = list(AuditEvent.objects.order_by("pk").values_list("action", "summary", "via_api", "client_id"))
    assert events == [
        ("view", "profile", False, person.pk),
        ("view", "profile history skills", False, person.pk),
        ("view", "profile section skills", False, person.pk),
        ("export", "profile pdf: skills, strengths, ips_preferences", False, person.pk),
        ("view", "profile", True, person.pk),
    ]


def test_a_denied_view_leaves_no_profile_event(net, login, person):
    login(net.coach).get(urls(person)["profile"])
    assert not AuditEvent.objects.filter(user=net.coach, summary__startswith="profile").exists()


def test_the_client_file_links_to_the_profile_only_for_who_may_open_it(net, login, person):
    """Issue 13: no link to a page that answers 404. A work partner gets it with a consent only."""
    detail = reverse("clients:detail", args=[person.pk])

    def linked(user: User) -> bool:
        response = login(user).get(detail)
        assert response.status_code == 200
        return urls(person)["profile"] in response.content.decode()

    assert linked(net.care)
    assert not linked(net.coach)
    assert login(net.coach).get(urls(person)["profile"]).status_code == 404
    share(net, person, SHARED)
    assert linked(net.coach)
    assert login(net.coach).get(urls(person)["profile"]).status_code == 200


def _queries(get, assert_max):
    get()  # warm up: the session, the token's last_used_at
    with assert_max(14) as captured:
        assert get().status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["care", "coach"])
def test_profile_page_history_and_api_run_a_constant_number_of_queries(
    net, login, django_assert_max_num_queries, person, persona
):
    share(net, person, ALL)
    user = getattr(net, persona)
    page = login(user)
    key = ApiToken.issue(Membership.objects.get(user=user), "test")[1]
    requests = [
        lambda: page.get(urls(person)["profile"]),
        lambda: page.get(urls(person, "skills")["history"]),
        lambda: page.get(urls(person)["api"], headers={"Authorization": f"Bearer {key}"}),
    ]
    few = [_queries(get, django_assert_max_num_queries) for get in requests]
    for i in range(19):
        fill(net, person, suffix=f"-v{i}")
    assert SectionVersion.objects.filter(client=person, section="skills").count() == 20
    many = [_queries(get, django_assert_max_num_queries) for get in requests]
    assert many == few
