"""Removing an indication from the draaiboek (the other draaiboek pages: library.action_views). Like
an edit, the removal goes into the draft; publishing the draft makes the version without it. Only a
network admin reaches the page (others get 404)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.concurrency import digest, edited_by
from werkbrug.core.policy import role_view
from werkbrug.network import draaiboek_actions
from werkbrug.network.forms import RemoveIndicationForm
from werkbrug.network.indications import Item
from werkbrug.network.models import DraaiboekStatus, Indication, Role


def _indication(step: Step) -> Indication:
    """The row a change of the URL's code touches now (the draft's, else the published one's), or 404.
    A removal sent after someone else removed it loads the latest row of that code (of an earlier
    version), so that the page says who removed it rather than answering 404."""
    code = step.kwargs["code"]
    row = draaiboek_actions.current_row(code)
    if row is None and step.request.method == "POST":
        row = Indication.objects.filter(code=code).order_by("-version_id", "-pk").first()
    if row is not None:
        row = Indication.objects.select_related("version").get(pk=row.pk)
    if row is None:
        raise Http404
    return row


def _changed(row: Indication) -> str:
    if draaiboek_actions.current_row(row.code) is None:
        return draaiboek_actions.removed_by(row.code)
    message = gettext(
        "%(who)s changed this indication at %(when)s. Check their change, then remove it again "
        "if it still has to go."
    )
    return edited_by(message, row)


def _page(step: Step) -> dict[str, Any]:
    draaiboek = reverse("library:draaiboek")
    return {
        "crumbs": [(reverse("library:index"), _("Library")), (draaiboek, _("Draaiboek"))],
        "back": draaiboek,
        "subject": Item(
            step.target.code, step.target.label, step.target.group, step.target.to_case_team
        ).wording,
    }


indication_remove = action_view(
    policy=role_view(Role.NETWORK_ADMIN),
    load=_indication,
    form=lambda step: RemoveIndicationForm(
        step.data,
        initial={
            "opened": step.target.version_id,
            "on_draft": step.target.version.status == DraaiboekStatus.DRAFT,
        },
    ),
    run=lambda step, data: draaiboek_actions.remove_indication(step.actor, step.kwargs["code"], **data),
    success=_("The indication was removed from the draft. Publish the draft to make it the new version."),
    done=lambda step, draft: reverse("library:draaiboek"),
    title=_("Remove an indication"),
    intro=_(
        "The removal goes into the draft. Earlier versions keep the indication, and so do the referrals "
        "triaged under them; once the draft is published, new referrals and their triage suggestion no "
        "longer use it."
    ),
    submit_label=_("Remove"),
    confirm=_("Remove this indication from the draft?"),
    context=_page,
    refused_status=200,
    # The removal carries what the page showed of the indication: a change to it in the meantime is
    # refused, naming who made it (the version the page was opened on is checked by the action).
    version=lambda row: digest(row.label, row.group, row.to_case_team),
    row=lambda target: draaiboek_actions.current_row(target.code) or target,
    changed=_changed,
)
