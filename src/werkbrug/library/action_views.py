"""The library's writing pages (docs/conventions.md, "Views: the one action pattern"): documents and
versions, the draaiboek's indications and its publication (network admin only; others get 404),
and dismissing a notice (any member, for their own organisation's notices)."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.concurrency import digest, edited_by
from werkbrug.core.policy import role_view
from werkbrug.library import actions
from werkbrug.library.forms import (
    DismissForm,
    DocumentForm,
    IndicationForm,
    NewIndicationForm,
    PublishForm,
    VersionForm,
)
from werkbrug.library.models import Announcement, Document
from werkbrug.library.views import member_view
from werkbrug.network import draaiboek_actions
from werkbrug.network.indications import Item
from werkbrug.network.models import DraaiboekVersion, Indication, Role

admin_action = functools.partial(action_view, policy=role_view(Role.NETWORK_ADMIN), refused_status=200)


def _library(step: Step) -> dict[str, Any]:
    return {"crumbs": [(reverse("library:index"), _("Library"))], "back": reverse("library:index")}


def _draaiboek(step: Step) -> dict[str, Any]:
    return {
        "crumbs": [(reverse("library:index"), _("Library")), (reverse("library:draaiboek"), _("Draaiboek"))],
        "back": reverse("library:draaiboek"),
    }


def _with_files(form: type[VersionForm]) -> Any:
    return lambda step: form(step.data, step.request.FILES if step.data is not None else None)


# --- documents -------------------------------------------------------------------------------------

document_new = admin_action(
    form=_with_files(DocumentForm),
    run=lambda step, data: actions.create_document(step.actor, **data),
    success=_("The document was added and announced to the organisations it concerns."),
    done=lambda step, version: reverse("library:document", args=[version.document_id]),
    title=_("New document"),
    submit_label=_("Add document"),
    template="core/upload_action.html",
    context=_library,
)


def _document_page(step: Step) -> dict[str, Any]:
    url = reverse("library:document", args=[step.target.pk])
    return {
        "crumbs": [(reverse("library:index"), _("Library")), (url, step.target.title)],
        "back": url,
    }


version_new = admin_action(
    load=lambda step: get_object_or_404(Document, pk=step.kwargs["pk"]),
    form=_with_files(VersionForm),
    run=lambda step, data: actions.add_version(step.actor, step.target, **data),
    success=_("The new version was added and announced to the organisations it concerns."),
    done=lambda step, version: reverse("library:document", args=[version.document_id]),
    title=lambda step: _("New version of %(title)s") % {"title": step.target.title},
    submit_label=_("Add version"),
    template="core/upload_action.html",
    context=_document_page,
)


# --- the draaiboek ---------------------------------------------------------------------------------


def _indication(step: Step) -> Indication:
    row = draaiboek_actions.current_row(step.kwargs["code"])
    if row is None:
        raise Http404
    return row


def _indication_form(step: Step) -> IndicationForm:
    row: Indication = step.target
    shown = Item(row.code, row.label, row.group, row.to_case_team).wording
    return IndicationForm(
        step.data, initial={"label": shown, "group": row.group, "to_case_team": row.to_case_team}
    )


indication_edit = admin_action(
    load=_indication,
    form=_indication_form,
    run=lambda step, data: draaiboek_actions.edit_indication(step.actor, step.kwargs["code"], **data),
    success=_("The indication was changed in the draft. Publish the draft to make it the new version."),
    done=lambda step, row: reverse("library:draaiboek"),
    title=_("Change an indication"),
    intro=_("The change goes into the draft; referrals keep the version they were triaged under."),
    context=_draaiboek,
    # The edit carries the version it was opened on: the row an edit changes now (the draft's, once
    # there is one), its wording, group and rule.
    version=lambda row: digest(row.label, row.group, row.to_case_team),
    row=lambda target: draaiboek_actions.current_row(target.code) or target,
    changed=lambda row: edited_by(
        gettext(
            "%(who)s changed this indication at %(when)s. Check their change, then save again to overwrite it."
        ),
        row,
    ),
)

indication_new = admin_action(
    form=NewIndicationForm,
    run=lambda step, data: draaiboek_actions.add_indication(step.actor, **data),
    success=_("The indication was added to the draft. Publish the draft to make it the new version."),
    done=lambda step, row: reverse("library:draaiboek"),
    title=_("New indication"),
    submit_label=_("Add indication"),
    context=_draaiboek,
)

publish = admin_action(
    load=lambda step: get_object_or_404(DraaiboekVersion, pk=step.kwargs["pk"]),
    form=PublishForm,
    run=lambda step, data: actions.publish_draaiboek(step.actor, step.target, **data),
    success=_("The new draaiboek version is published and announced. New referrals use it."),
    done=lambda step, version: reverse("library:draaiboek"),
    title=_("Publish the draft as a new draaiboek version"),
    intro=_("Referrals made from now on use the new version; earlier referrals keep theirs."),
    submit_label=_("Publish"),
    confirm=_("Publish this draft and announce it to the member organisations?"),
    context=_draaiboek,
)


# --- notices ---------------------------------------------------------------------------------------


def _announcement(step: Step) -> Announcement:
    # Only a notice of the actor's own organisation (dismissed or not: dismissing twice is harmless).
    return get_object_or_404(
        Announcement.objects.filter(organisations=step.actor.organisation), pk=step.kwargs["pk"]
    )


def _back_home(step: Step) -> HttpResponse:
    for error in [str(e) for errors in step.form.errors.values() for e in errors]:
        messages.error(step.request, error)
    return redirect(reverse("core:home"))


dismiss = action_view(
    policy=member_view,
    load=_announcement,
    form=DismissForm,
    run=lambda step, data: actions.dismiss(step.actor, step.target),
    success="",
    done=lambda step, result: reverse("core:home"),
    post_only=True,
    refused=_back_home,
)
