"""One agenda item: its page with the case, the minutes and the decision (members write, a guest of
the item reads), the guests invited for it, the team's decision and its action items. See
teams.pages for access and anonymity."""

from __future__ import annotations

import functools
from typing import Any, cast

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.concurrency import digest, edited_by
from werkbrug.core.policy import client_view
from werkbrug.teams import meeting_actions
from werkbrug.teams.access import is_member, member_teams
from werkbrug.teams.decision_actions import DecisionResult, decide_case
from werkbrug.teams.followup_actions import complete_action, create_action, possible_owners
from werkbrug.teams.forms import ActionForm, DecisionForm, InviteForm, ItemForm
from werkbrug.teams.item_actions import ActionInput, DecisionInput, ItemSaved, save_item
from werkbrug.teams.meeting_actions import OPEN_ACTIONS_TITLE
from werkbrug.teams.models import ActionItem, AgendaItem, ItemGuest
from werkbrug.teams.pages import (
    ItemSeat,
    action_rows,
    audit_views,
    back_to,
    button_action,
    get_item,
    item_label,
    item_row,
    item_url,
    member_ids,
    open_actions_of,
    safe_next,
    text_of,
)


def _not_invitable(item: AgendaItem) -> list[int]:
    """Who need not be offered as a guest: the members and the item's guests."""
    return member_ids(item.meeting.team_id) + [g.user_id for g in item.guests.all()]


# --- the item page ---------------------------------------------------------------------------------


def _seat(step: Step) -> ItemSeat:
    """The item as the actor reaches it; only a member writes the minutes."""
    seat = get_item(step.actor, step.kwargs["pk"])
    if step.request.method == "POST" and not seat.member:
        raise Http404
    return seat


def _shown(item: AgendaItem, text: str) -> str:
    # The redacted text while the case is anonymous: minutes and next steps written under a consent
    # since withdrawn may name the client.
    return text_of(item.case, bool(getattr(item, "named", False)), text)


def _unless_as_shown(item: AgendaItem, posted: str, stored: str) -> str | None:
    """None when the posted text is the text the page showed (left as it was), else the posted text."""
    return None if posted.strip() == _shown(item, stored).strip() else posted


def _item_form(step: Step) -> ItemForm:
    """The item's one form: minutes, decision, a guest, a new action (teams.item_actions)."""
    item = step.target.item
    initial: dict[str, Any] = {"minutes": _shown(item, item.minutes)}
    if item.case is not None:
        initial.update(lead_organisation=item.lead_organisation_id, next_steps=_shown(item, item.next_steps))
    return ItemForm(
        step.data,
        initial=initial,
        case=item.case is not None,
        owners=possible_owners(item),
        exclude=_not_invitable(item) if item.case is not None else (),
    )


def _item_page(step: Step) -> dict[str, Any]:
    """The item page: its case, minutes and decision, with the members' one form."""
    item, member = step.target
    today = timezone.localdate()
    row = item_row(item, today)
    if item.case is not None:
        audit_views(step.actor, [item.case], f"team item {item.pk}")
    page: dict[str, Any] = {"item": item, "row": row, "meeting": item.meeting, "member": member}
    if member:
        page["item_form"] = step.form
        page["parts"] = step.form.parts()  # type: ignore[attr-defined]
        if item.case is None and item.title == OPEN_ACTIONS_TITLE:
            page["open_actions"] = action_rows(open_actions_of(item.meeting.team_id), today)
    return page


def _save_item(step: Step, data: dict[str, Any]) -> ItemSaved:
    form = cast(ItemForm, step.form)
    item = step.target.item
    decision = guest = None
    if item.case is not None:
        steps = _unless_as_shown(item, data.get("next_steps") or "", item.next_steps)
        decision = DecisionInput(
            lead_organisation=data.get("lead_organisation"),
            next_steps=item.next_steps if steps is None else steps,
            start=bool(data.get("start")),
            evidence=form.evidence_or_none(),
        )
        if data.get("user") is not None:
            guest = (data["user"], data.get("organisation"))
    return save_item(
        step.actor,
        item,
        # Unchanged when it is the text the page showed (redacted while the case is anonymous).
        minutes=_unless_as_shown(item, data["minutes"], item.minutes),
        decision=decision,
        guest=guest,
        action=ActionInput(**form.given("action")),
    )


def _item_saved(step: Step, saved: ItemSaved) -> str:
    """Back to the item; what starting the decision did, told beside "The item was saved."."""
    if saved.decision is not None:
        return _decided(step, saved.decision)
    return item_url(step.target.item)


item_minutes = action_view(
    policy=client_view,
    load=_seat,
    form=_item_form,
    run=_save_item,
    success=_("The agenda item was saved."),
    done=_item_saved,
    template="teams/item.html",
    context=_item_page,
    # The item's text carries the version it was opened on: a save over someone else's newer minutes
    # or decision is refused with their text (redacted while the case is anonymous) and keeps what
    # was typed.
    row=lambda seat: seat.item,
    version=lambda item: digest(item.minutes, item.lead_organisation_id, item.next_steps),
    changed=lambda item: _item_changed(item),
)


def _item_changed(item: AgendaItem) -> str:
    """A refused save: who saved the item since it was opened, and what they saved (redacted while
    the case is anonymous); the form below keeps what the user typed."""
    message = edited_by(
        gettext("%(who)s saved the minutes or the decision at %(when)s, after you opened this page."), item
    )
    minutes = text_of(item.case, False, item.minutes)
    if minutes:
        message += " " + gettext("Their text: “%(text)s”") % {"text": Truncator(minutes).chars(600)}
    if item.lead_organisation is not None:
        message += " " + gettext("Their decision: %(org)s leads.") % {"org": item.lead_organisation}
        steps = text_of(item.case, False, item.next_steps)
        if steps:
            message += " " + Truncator(steps).chars(600)
    return message + " " + gettext("Your text is still below: merge the two and save again.")


# --- the members' actions on an item ----------------------------------------------------------------

# An action on an item by a member (a guest gets 404): on success back to the item page, otherwise
# the form again with the message (nothing was written).
item_action = functools.partial(
    action_view,
    policy=client_view,
    load=lambda step: get_item(step.actor, step.kwargs["pk"], member_only=True).item,
    done=lambda step, result: item_url(step.target),
    context=lambda step: back_to(item_url(step.target), item_label(step.target)),
)

invite = item_action(
    form=lambda step: InviteForm(step.data, exclude=_not_invitable(step.target)),
    run=lambda step, data: meeting_actions.invite_guest(step.actor, step.target, **data),
    success=_("The guest was invited for this item; they see this item only."),
    title=_("Invite a guest"),
    submit_label=_("Invite"),
)


def _guest(step: Step) -> ItemGuest:
    item = get_item(step.actor, step.kwargs["pk"], member_only=True).item
    guest = ItemGuest.objects.filter(pk=step.kwargs["guest_pk"], item=item).select_related("user").first()
    if guest is None:
        raise Http404
    guest.item = item
    return guest


uninvite = button_action(
    load=_guest,
    run=lambda step, data: meeting_actions.remove_guest(step.actor, step.target),
    success=_("The invitation was withdrawn."),
    back=lambda step: item_url(step.target.item),
)


def _case_item(step: Step) -> AgendaItem:
    """Only the item of a case takes a decision."""
    item = get_item(step.actor, step.kwargs["pk"], member_only=True).item
    if item.case is None:
        raise Http404
    return item


def _decide(step: Step, data: dict[str, Any]) -> DecisionResult:
    return decide_case(
        step.actor,
        step.target,
        lead_organisation=data["lead_organisation"],
        next_steps=data["next_steps"],
        start=data["start"],
        evidence=step.form.evidence_value(),  # type: ignore[attr-defined]
    )


def _decided(step: Step, result: DecisionResult) -> str:
    """What starting the decision did, told beside "The decision was saved."."""
    if result.handover is not None:
        messages.success(
            step.request,
            _("The handover to %(org)s was proposed; they decide on it in their handover inbox.")
            % {"org": result.handover.to_organisation},
        )
    elif result.referral is not None:
        messages.success(
            step.request,
            _("The referral was redirected to the line “%(line)s”.") % {"line": result.referral.line},
        )
    elif result.not_started:
        messages.info(step.request, _("Nothing was started: %(why)s") % {"why": result.not_started})
    return item_url(result.item)


decide = item_action(
    load=_case_item,
    form=lambda step: DecisionForm(
        step.data, initial={"lead_organisation": step.target.lead_organisation_id}
    ),
    run=_decide,
    success=_("The decision was saved."),
    done=_decided,
    title=_("Decision"),
    submit_label=_("Save the decision"),
)

action_create = item_action(
    form=lambda step: ActionForm(step.data, owners=possible_owners(step.target)),
    run=lambda step, data: create_action(step.actor, step.target, **data),
    success=_("The action was added; it appears in its owner's list."),
    title=_("New action"),
    submit_label=_("Add the action"),
)


# --- marking an action done from a team page ---------------------------------------------------------


def _team_action(step: Step) -> ActionItem:
    """An action of one of the actor's teams, or one they own."""
    action = (
        ActionItem.objects.filter(pk=step.kwargs["pk"])
        .filter(Q(team__in=member_teams(step.actor)) | Q(owner=step.actor.user))
        .select_related("team", "case")
        .first()
    )
    if action is None:
        raise Http404
    return action


def _back_from_done(step: Step) -> str:
    """The page the button sat on; else the team's page for a member, the teams for an owner."""
    action = step.target
    member = is_member(step.actor, action.team)
    fallback = reverse("teams:detail", args=[action.team_id]) if member else reverse("teams:list")
    return safe_next(step.request, fallback)


# The owner or a fixed member marks an action done.
action_done = button_action(
    load=_team_action,
    run=lambda step, data: complete_action(step.actor, step.target),
    success=_("The action is marked done."),
    back=_back_from_done,
)
