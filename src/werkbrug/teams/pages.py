"""What the team pages share: fetching what the actor may see, the rows a page shows of a case, an
item and an action, and how an action posted from a button returns to its page.

Access: teams.access decides. A fixed member sees the team's meetings, cases and actions; a guest
sees the items they are invited for and nothing else; anyone else gets 404.

Anonymity: pages never render a client field. Each case becomes a row with `case_label(case,
named)` (the `named` annotation of teams.access) and its free texts pass through teams.identity.redact()
while the case is anonymous. Showing a case's data counts as a view of client data in the audit
trail (the client's access log), as for a client file.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.contrib import messages
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from werkbrug.core import statements
from werkbrug.core.actionviews import Step, Text, action_view
from werkbrug.core.actor import Actor
from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.core.policy import client_view
from werkbrug.teams.access import case_label, get_meeting, named_cases_q, seat_of
from werkbrug.teams.forms import ButtonForm
from werkbrug.teams.identity import redact
from werkbrug.teams.meeting_actions import OPEN_ACTIONS_TITLE
from werkbrug.teams.models import ActionItem, AgendaItem, Case, ItemGuest, Meeting, Team, TeamMember

# --- fetching ----------------------------------------------------------------------------------------


def member_ids(team_id: int) -> list[int]:
    return list(TeamMember.objects.filter(team_id=team_id).values_list("user_id", flat=True))


def _item_columns(items: QuerySet[AgendaItem]) -> QuerySet[AgendaItem]:
    """What an item row shows of the item and its case, in one query."""
    return (
        items.select_related(
            "case__client",
            "case__team",
            "case__registered_by_organisation",
            "case__trajectory__type",
            "case__trajectory__lead_organisation",
            "lead_organisation",
            "decided_by",
        )
        .annotate(named=named_cases_q("case__"))
        .order_by("position", "pk")
    )


def _item_prefetches() -> tuple[Prefetch, ...]:
    return (
        Prefetch("guests", queryset=ItemGuest.objects.select_related("user", "organisation").order_by("pk")),
        Prefetch("actions", queryset=ActionItem.objects.select_related("owner").order_by("due_on", "pk")),
    )


class ShownItem(NamedTuple):
    """An agenda item of a meeting page with its guests and actions."""

    item: AgendaItem
    guests: list[ItemGuest]
    actions: list[ActionItem]


def meeting_items(actor: Actor, meeting: Meeting) -> list[ShownItem]:
    """The items of `visible_items(actor, meeting)` as item rows need them, with their guests and
    actions: three statements built once per membership, day (the case's consent) and seat, and
    bound to the meeting (core.statements)."""
    member = seat_of(meeting)
    key = (*statements.actor_key("meeting items", actor), member)
    shown = lambda: _visible(actor, member, meeting_id=statements.BOUND).values("pk")  # noqa: E731
    items = statements.objects(
        (*key, "items"),
        lambda: _item_columns(_visible(actor, member, meeting_id=statements.BOUND)),
        meeting.pk,
    )
    guests = statements.objects(
        (*key, "guests"),
        lambda: (
            ItemGuest.objects.filter(item__in=shown()).select_related("user", "organisation").order_by("pk")
        ),
        meeting.pk,
    )
    actions = statements.objects(
        (*key, "actions"),
        lambda: ActionItem.objects.filter(item__in=shown()).select_related("owner").order_by("due_on", "pk"),
        meeting.pk,
    )
    return [
        ShownItem(
            item,
            [guest for guest in guests if guest.item_id == item.pk],
            [action for action in actions if action.item_id == item.pk],
        )
        for item in items
    ]


def _visible(actor: Actor, member: bool, **where: int) -> QuerySet[AgendaItem]:
    """The items `where` the actor sees (`visible_items`): a member any, a guest their own."""
    items = AgendaItem.objects.filter(**where)
    return items if member else items.filter(guests__user=actor.user)


class ItemSeat(NamedTuple):
    """An agenda item and how the actor reaches it: as a member (who writes) or a guest (who reads)."""

    item: AgendaItem
    member: bool


def get_item(actor: Actor, pk: int, *, member_only: bool = False) -> ItemSeat:
    """An agenda item the actor may see (a member: any item; a guest: their own), and whether the
    actor is a member. Anyone else, and a guest where `member_only`, gets 404."""
    meeting_id = AgendaItem.objects.filter(pk=pk).values_list("meeting_id", flat=True).first()
    if meeting_id is None:
        raise Http404
    meeting = get_meeting(actor, meeting_id)
    member = seat_of(meeting)
    if member_only and not member:
        raise Http404
    key = (*statements.actor_key("agenda item", actor), member)
    item = statements.one(key, lambda: _item_columns(_visible(actor, member, pk=statements.BOUND)), pk)
    if item.meeting_id != meeting.pk:
        raise Http404
    prefetch_related_objects([item], *_item_prefetches())
    item.meeting = meeting
    return ItemSeat(item, member)


def audit_views(actor: Actor, cases: Iterable[Case], summary: str) -> None:
    """Showing a case is a view of the client's data: one audit row per case, in one query."""
    events = [
        AuditEvent(
            user=actor.user,
            organisation=actor.organisation,
            client_id=case.client_id,
            action=AuditAction.VIEW,
            object_type=Case._meta.model_name or "case",
            object_id=case.pk,
            summary=summary[:300],
            via_api=actor.via_api,
        )
        for case in {c.pk: c for c in cases}.values()
    ]
    if events:
        AuditEvent.objects.bulk_create(events)


# --- rows: what a page shows of a case ---------------------------------------------------------------


@dataclass(frozen=True)
class CaseRow:
    """A case as pages show it: the label and the case's free texts, redacted while anonymous. No
    client field is reachable from here."""

    pk: int
    label: str
    named: bool
    reason: str
    question: str
    registered_on: datetime.datetime
    registered_by: str
    trajectory: str
    decided_lead: str = ""

    @classmethod
    def of(cls, case: Case, named: bool, decided_lead: str = "") -> CaseRow:
        trajectory = case.trajectory
        return cls(
            pk=case.pk,
            label=case_label(case, named),
            named=named,
            reason=case.get_reason_display(),
            question=text_of(case, named, case.question),
            registered_on=case.created_at,
            registered_by=str(case.registered_by_organisation),
            trajectory=(
                f"{trajectory.type} · {trajectory.lead_organisation} · {trajectory.get_phase_display()}"
                f" · {trajectory.get_status_display()}"
                if trajectory is not None
                else ""
            ),
            decided_lead=decided_lead,
        )


def text_of(case: Case | None, named: bool, text: str) -> str:
    if case is None or named:
        return text
    return redact(case.client, text)


@dataclass(frozen=True)
class ActionRow:
    pk: int
    description: str
    label: str
    owner: str
    due_on: datetime.date
    done_on: datetime.date | None
    overdue: bool


def action_rows(
    items: Iterable[ActionItem],
    today: datetime.date,
    *,
    item_case: Case | None = None,
    named: bool | None = None,
) -> list[ActionRow]:
    """Rows of actions: each with its case's `named` annotation, or (the actions of one item) with
    that item's case and named status, so that no query runs per row."""
    rows = []
    for action in items:
        shown = bool(getattr(action, "named", False)) if named is None else named
        case = item_case if named is not None else (action.case if action.case_id is not None else None)
        rows.append(
            ActionRow(
                pk=action.pk,
                description=text_of(case, shown, action.description),
                label=case_label(case, shown) if case is not None else "",
                owner=str(action.owner),
                due_on=action.due_on,
                done_on=action.done_on,
                overdue=action.done_on is None and action.due_on < today,
            )
        )
    return rows


@dataclass(frozen=True)
class ItemRow:
    pk: int
    title: str  # a msgid, translated in the template; empty for a registered case
    case: CaseRow | None
    minutes: str
    lead_organisation: str
    next_steps: str
    decided_at: datetime.datetime | None
    decided_by: str
    guests: list[ItemGuest]
    actions: list[ActionRow]
    is_open_actions: bool


def item_row(
    item: AgendaItem,
    today: datetime.date,
    guests: list[ItemGuest] | None = None,
    actions: list[ActionItem] | None = None,
) -> ItemRow:
    """The row of `item`; its guests and actions given, or else its (prefetched) own."""
    named = bool(getattr(item, "named", False))
    case = item.case
    return ItemRow(
        pk=item.pk,
        title=item.title,
        case=CaseRow.of(case, named) if case is not None else None,
        minutes=text_of(case, named, item.minutes),
        lead_organisation=str(item.lead_organisation) if item.lead_organisation is not None else "",
        next_steps=text_of(case, named, item.next_steps),
        decided_at=item.decided_at,
        decided_by=str(item.decided_by) if item.decided_by is not None else "",
        guests=list(item.guests.all()) if guests is None else guests,
        actions=action_rows(
            item.actions.all() if actions is None else actions, today, item_case=case, named=named
        ),
        is_open_actions=case is None and item.title == OPEN_ACTIONS_TITLE,
    )


def open_team_actions(team: Team) -> QuerySet[ActionItem]:
    return _open_actions(ActionItem.objects.filter(team=team))


def _open_actions(actions: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
    return (
        actions.filter(done_on__isnull=True)
        .select_related("owner", "case__client", "case__team")
        .annotate(named=named_cases_q("case__"))
        .order_by("due_on", "pk")
    )


def open_actions_of(team_id: int) -> list[ActionItem]:
    """`open_team_actions` as a list, its statement built once a day (the cases' consents) and bound
    to the team (core.statements)."""
    key = ("team open actions", timezone.localdate())
    return statements.objects(
        key, lambda: _open_actions(ActionItem.objects.filter(team_id=statements.BOUND)), team_id
    )


# --- actions posted from a page ---------------------------------------------------------------------


def item_url(item: AgendaItem) -> str:
    return reverse("teams:item_minutes", args=[item.pk])


def item_label(item: AgendaItem) -> str:
    """How an item is named on a page: its case's label, or its title (a msgid)."""
    if item.case is not None:
        return case_label(item.case, bool(getattr(item, "named", False)))
    return _(item.title)


def back_to(url: str, label: str) -> dict[str, Any]:
    """The links of a form page (core/action.html) back to the page the action belongs to."""
    return {"crumbs": [(url, label)], "back": url}


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The page a button was pressed on (`next`), when it is on this site; else `fallback`."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def button_action(
    *,
    load: Callable[[Step], Any],
    run: Callable[[Step, dict[str, Any]], Any],
    success: Text,
    back: Callable[[Step], str],
    done: Callable[[Step, Any], HttpResponse | str] | None = None,
    policy: Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]] = client_view,
) -> Callable[..., HttpResponse]:
    """An action behind a button on another page (a form without fields; a GET is 405). Done, it
    returns to that page, `back(step)`, unless `done` says otherwise; refused, it returns there too
    with the message flashed (nothing was written)."""

    def refused(step: Step) -> HttpResponse:
        for error in step.form.non_field_errors():
            messages.error(step.request, str(error))
        return redirect(back(step))

    return action_view(
        policy=policy,
        form=ButtonForm,
        load=load,
        run=run,
        success=success,
        done=done or (lambda step, result: back(step)),
        refused=refused,
        post_only=True,
    )
