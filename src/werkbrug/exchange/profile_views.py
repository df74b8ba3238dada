"""The competency profile and the IPS vocational profile of a client: read, write a new version,
history, and the A4 PDF the client takes along.

Which sections an actor sees is one rule, clients.access.readable_sections(): a section the actor may
not read is not shown at all, not even its title; with no readable section the pages answer 404.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkbrug.clients.access import get_visible, readable_sections
from werkbrug.clients.models import (
    CARE_ONLY_SECTIONS,
    COMPETENCY_SECTIONS,
    VOCATIONAL_SECTIONS,
    Client,
    ProfileSection,
)
from werkbrug.core import audit
from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import moment, who
from werkbrug.core.downloads import download_name
from werkbrug.core.models import AuditAction
from werkbrug.core.paging import paginate
from werkbrug.core.pdf import pdf_response
from werkbrug.core.policy import client_view
from werkbrug.exchange import actions
from werkbrug.exchange.models import SectionVersion
from werkbrug.exchange.profile_forms import SectionForm

PROFILES: tuple[tuple[Promise, tuple[ProfileSection, ...]], ...] = (
    (gettext_lazy("Competency profile"), COMPETENCY_SECTIONS),
    (gettext_lazy("Vocational profile (IPS)"), VOCATIONAL_SECTIONS),
)


@dataclass(frozen=True)
class Section:
    code: str
    label: str
    care_only: bool
    current: SectionVersion | None


@dataclass(frozen=True)
class Profile:
    title: str
    sections: list[Section]


def _profile_client(actor: Actor, client_pk: int) -> tuple[Client, frozenset[str]]:
    """The client and the sections the actor may read; 404 when the actor may read none. The view
    itself is audited by the caller, with what was seen."""
    client = get_visible(actor, Client.objects.all(), client_pk, client_path="", audit_view=False)
    readable = readable_sections(actor, client.pk)
    if not readable:
        raise Http404
    return client, readable


def _current(client: Client, sections: Collection[str]) -> dict[str, SectionVersion]:
    versions = (
        SectionVersion.objects.filter(client=client, section__in=list(sections))
        .current()
        .select_related("author", "organisation")
    )
    return {version.section: version for version in versions}


def _profiles(
    sections: Collection[str], current: Mapping[str, SectionVersion], *, written_only: bool = False
) -> list[Profile]:
    """The two profiles in their fixed order, each with only the given sections; a profile with no
    such section is left out."""
    profiles = []
    for title, codes in PROFILES:
        shown = [
            Section(code.value, str(code.label), code in CARE_ONLY_SECTIONS, current.get(code))
            for code in codes
            if code in sections and (not written_only or code in current)
        ]
        if shown:
            profiles.append(Profile(str(title), shown))
    return profiles


def _section(code: str, current: SectionVersion | None) -> Section:
    return Section(code, str(ProfileSection(code).label), code in CARE_ONLY_SECTIONS, current)


def _audit_view(actor: Actor, client: Client, summary: str) -> None:
    audit.record(actor, AuditAction.VIEW, client, client_id=client.pk, summary=summary)


@client_view
def profile(request: HttpRequest, client_pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    client, readable = _profile_client(actor, client_pk)
    profiles = _profiles(readable, _current(client, readable))
    _audit_view(actor, client, "profile")
    return render(request, "exchange/profile.html", {"client": client, "profiles": profiles})


@dataclass(frozen=True)
class SectionEdit:
    """What the edit page of a section acts on: the client and the section with its current text."""

    client: Client
    section: Section


def _latest(client: Client, code: str) -> SectionVersion | None:
    return (
        SectionVersion.objects.filter(client=client, section=code)
        .select_related("author", "organisation")
        .order_by("-pk")
        .first()
    )


def _section_to_edit(step: Step) -> SectionEdit:
    """The section, if the actor may read it (else 404); opening the page is a view of it."""
    client, readable = _profile_client(step.actor, step.kwargs["client_pk"])
    code = step.kwargs["section"]
    if code not in readable:
        raise Http404
    current = _latest(client, code)
    if step.request.method != "POST":
        _audit_view(step.actor, client, f"profile section {code}")
    return SectionEdit(client, _section(code, current))


def _saved(step: Step) -> str:
    current = step.target.section.current
    if current is not None and step.form.is_valid() and step.form.cleaned_data["text"] == current.text:
        return _("Nothing changed: the text is the same as the current version.")
    return _("The section was saved as a new version.")


def _section_form(step: Step) -> SectionForm:
    """The form, carrying the version the page is opened on (docs/conventions.md, "Two people at
    once")."""
    current = step.target.section.current
    return SectionForm(
        step.data,
        initial={"text": current.text if current else "", "based_on": current.pk if current else ""},
    )


def _page(step: Step) -> dict[str, object]:
    """The edit page. After a POST based on an older version than the latest (someone else saved in
    the meantime), it shows their text above the form, which keeps what the user typed and now
    carries the newer version: saving again saves over it, knowingly."""
    edit: SectionEdit = step.target
    page: dict[str, object] = {"client": edit.client, "section": edit.section}
    if step.request.method != "POST" or not isinstance(step.form, SectionForm):
        return page
    try:
        opened_on = step.form.opened_on()
    except ValueError:
        opened_on = 0  # not a version id: from now on the page carries the latest
    if opened_on is actions.UNCHECKED:
        return page
    latest = _latest(edit.client, edit.section.code)
    if (latest.pk if latest else None) == opened_on:
        return page
    step.form.rebase(latest.pk if latest else None)
    page["section"] = _section(edit.section.code, latest)
    if latest is not None:
        page["theirs"] = latest
        page["theirs_when"] = moment(latest.created_at)
        page["theirs_by"] = who(latest.author)
    return page


profile_edit = action_view(
    policy=client_view,
    load=_section_to_edit,
    form=_section_form,
    run=lambda step, data: actions.save_section(
        step.actor, step.target.client, step.target.section.code, data["text"], based_on=data["based_on"]
    ),
    success=_saved,
    done=lambda step, version: (
        reverse("exchange:profile", args=[step.target.client.pk]) + f"#section-{step.target.section.code}"
    ),
    template="exchange/profile_form.html",
    context=_page,
    refused_status=200,
)


@client_view
def profile_history(request: HttpRequest, client_pk: int, section: str) -> HttpResponse:
    actor = Actor.from_request(request)
    client, readable = _profile_client(actor, client_pk)
    if section not in readable:
        raise Http404
    versions = paginate(
        request,
        SectionVersion.objects.filter(client=client, section=section)
        .select_related("author", "organisation")
        .order_by("-created_at", "-pk"),
    )
    _audit_view(actor, client, f"profile history {section}")
    return render(
        request,
        "exchange/profile_history.html",
        {
            "client": client,
            "page": versions,
            "section": _section(section, None),
        },
    )


def _pdf_sections(readable: Iterable[str]) -> frozenset[str]:
    """The document goes with the client to work partners: never a care-only section, whoever
    prints it."""
    return frozenset(readable) - CARE_ONLY_SECTIONS


@client_view
def profile_pdf(request: HttpRequest, client_pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    client, readable = _profile_client(actor, client_pk)
    sections = _pdf_sections(readable)
    if not sections:
        raise Http404
    current = _current(client, sections)
    profiles = _profiles(sections, current, written_only=True)
    shown = [section.code for p in profiles for section in p.sections]
    audit.record(
        actor, AuditAction.EXPORT, client, client_id=client.pk, summary="profile pdf: " + ", ".join(shown)
    )
    today = timezone.localdate()
    filename = download_name(_("competency profile"), f"{today:%Y-%m-%d}", extension="pdf")
    return pdf_response(
        "exchange/pdf_profile.html",
        {"client": client, "profiles": profiles, "today": today},
        request,
        filename,
    )
