"""Case team pages: team management (network admin), the actor's teams, a team's page, registering a
case, meetings with their agenda, attendance, an item's minutes, guests, decisions and actions.

Access: teams.access decides. A fixed member sees the team's meetings, cases and actions; a guest
sees the items they are invited for and nothing else; anyone else gets 404. A client to register is
fetched through core.access.get_visible.

Anonymity: pages never render a client field. Each case becomes a row with `case_label(case,
named)` (the `named` annotation of teams.access) and its free texts pass through teams.identity.redact()
while the case is anonymous. Showing a case's data counts as a view of client data in the audit
trail (the client's access log), as for a client file.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkbrug.clients.models import Client
from werkbrug.core.access import get_visible
from werkbrug.core.actor import Actor
from werkbrug.core.forms import form_data, submit
from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.core.paging import paginate
from werkbrug.core.policy import client_view, role_view
from werkbrug.network.models import Role
from werkbrug.referrals.models import Referral, ReferralStatus
from werkbrug.teams import actions
from werkbrug.teams.access import (
    case_label,
    get_meeting,
    is_member,
    is_named,
    member_teams,
    named_cases_q,
    visible_items,
    with_named,
)
from werkbrug.teams.forms import (
    ActionForm,
    AttendanceForm,
    ButtonForm,
    CaseForm,
    DecisionForm,
    InviteForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
    TeamForm,
)
from werkbrug.teams.identity import redact
from werkbrug.teams.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Case,
    CaseStatus,
    ItemGuest,
    Meeting,
    Team,
    TeamMember,
)
from werkbrug.trajectories.models import Trajectory

MEETINGS_ON_TEAM_PAGE = 10
ACTIONS_ON_TEAM_PAGE = 50


# --- fetching ----------------------------------------------------------------------------------------


def _member_team(actor: Actor, pk: int) -> Team:
    """A team the actor sits in as a fixed member, or 404."""
    team = member_teams(actor).filter(pk=pk).first()
    if team is None:
        raise Http404
    return team


def _items(items: QuerySet[AgendaItem]) -> QuerySet[AgendaItem]:
    """What an item row shows, in one query (plus the prefetches)."""
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
        .prefetch_related(
            Prefetch(
                "guests", queryset=ItemGuest.objects.select_related("user", "organisation").order_by("pk")
            ),
            Prefetch("actions", queryset=ActionItem.objects.select_related("owner").order_by("due_on", "pk")),
        )
        .order_by("position", "pk")
    )


def _get_item(actor: Actor, pk: int, *, member_only: bool = False) -> tuple[AgendaItem, bool]:
    """An agenda item the actor may see (a member: any item; a guest: their own), and whether the
    actor is a member. Anyone else, and a guest where `member_only`, gets 404."""
    meeting_id = AgendaItem.objects.filter(pk=pk).values_list("meeting_id", flat=True).first()
    if meeting_id is None:
        raise Http404
    meeting = get_meeting(actor, meeting_id)
    member = is_member(actor, meeting.team)
    if member_only and not member:
        raise Http404
    item = _items(visible_items(actor, meeting)).filter(pk=pk).first()
    if item is None:
        raise Http404
    item.meeting = meeting
    return item, member


def _audit_views(actor: Actor, cases: Iterable[Case], summary: str) -> None:
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
            question=_text_of(case, named, case.question),
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


def _text_of(case: Case | None, named: bool, text: str) -> str:
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


def _action_rows(
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
                description=_text_of(case, shown, action.description),
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


def _item_row(item: AgendaItem, today: datetime.date) -> ItemRow:
    named = bool(getattr(item, "named", False))
    case = item.case
    return ItemRow(
        pk=item.pk,
        title=item.title,
        case=CaseRow.of(case, named) if case is not None else None,
        minutes=_text_of(case, named, item.minutes),
        lead_organisation=str(item.lead_organisation) if item.lead_organisation is not None else "",
        next_steps=_text_of(case, named, item.next_steps),
        decided_at=item.decided_at,
        decided_by=str(item.decided_by) if item.decided_by is not None else "",
        guests=list(item.guests.all()),
        actions=_action_rows(item.actions.all(), today, item_case=case, named=named),
        is_open_actions=case is None and item.title == actions.OPEN_ACTIONS_TITLE,
    )


def _open_team_actions(team: Team) -> QuerySet[ActionItem]:
    return (
        team.actions.filter(done_on__isnull=True)
        .select_related("owner", "case__client", "case__team")
        .annotate(named=named_cases_q("case__"))
        .order_by("due_on", "pk")
    )


# --- generic action page ---------------------------------------------------------------------------


def _form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    title: str,
    submit_label: str,
    back: str,
    back_label: str,
    intro: str = "",
    subject: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "submit_label": submit_label,
        "back": back,
        "back_label": back_label,
        "intro": intro,
        "subject": subject,
        "action": request.get_full_path(),
    }
    return render(request, "teams/form.html", context, status=status)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# --- team management (network admin) --------------------------------------------------------------


@role_view(Role.NETWORK_ADMIN)
def manage(request: HttpRequest) -> HttpResponse:
    teams = (
        Team.objects.select_related("organisation")
        .annotate(member_count=Count("members"))
        .order_by("name", "pk")
    )
    return render(request, "teams/manage_list.html", {"page": paginate(request, teams)})


@role_view(Role.NETWORK_ADMIN)
def team_create(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    form = TeamForm(form_data(request))
    team = submit(request, form, lambda data: actions.create_team(actor, **data), _("The team was added."))
    if team is not None:
        return redirect("teams:team_edit", pk=team.pk)
    return _form_page(
        request,
        form,
        title=_("New team"),
        submit_label=_("Add team"),
        back=reverse("teams:manage"),
        back_label=_("Teams"),
    )


def _member_ids(team_id: int) -> list[int]:
    return list(TeamMember.objects.filter(team_id=team_id).values_list("user_id", flat=True))


def _not_invitable(item: AgendaItem) -> list[int]:
    """Who need not be offered as a guest: the members and the item's guests."""
    return _member_ids(item.meeting.team_id) + [g.user_id for g in item.guests.all()]


def _manage_context(team: Team, form: forms.BaseForm, member_form: forms.BaseForm) -> dict[str, Any]:
    members = team.members.select_related("user", "organisation").order_by(
        "user__last_name", "user__first_name"
    )
    return {
        "team": team,
        "form": form,
        "member_form": member_form,
        "members": members,
        "remove_form": ButtonForm(),
    }


@role_view(Role.NETWORK_ADMIN)
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    team = get_object_or_404(Team.objects.select_related("organisation"), pk=pk)
    initial = {
        "name": team.name,
        "kind": team.kind,
        "organisation": team.organisation_id,
        "cadence": team.cadence,
        "default_place": team.default_place,
        "video_link": team.video_link,
        "is_active": team.is_active,
    }
    form = TeamForm(form_data(request), initial=initial, editing=True)
    saved = submit(
        request, form, lambda data: actions.update_team(actor, team, **data), _("The team was saved.")
    )
    if saved is not None:
        return redirect("teams:team_edit", pk=team.pk)
    return render(
        request,
        "teams/manage_team.html",
        _manage_context(team, form, MemberForm(exclude=_member_ids(team.pk))),
    )


@role_view(Role.NETWORK_ADMIN)
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    team = get_object_or_404(Team.objects.select_related("organisation"), pk=pk)
    form = MemberForm(form_data(request), exclude=_member_ids(team.pk))
    member = submit(
        request,
        form,
        lambda data: actions.add_member(actor, team, user=data["user"], organisation=data["organisation"]),
        _("The member was added."),
    )
    if member is not None:
        return redirect("teams:team_edit", pk=team.pk)
    return _form_page(
        request,
        form,
        title=_("Add a member"),
        subject=team.name,
        submit_label=_("Add member"),
        back=reverse("teams:team_edit", args=[team.pk]),
        back_label=team.name,
        status=400 if request.method == "POST" else 200,
    )


@role_view(Role.NETWORK_ADMIN)
@require_POST
def member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    member = get_object_or_404(TeamMember.objects.select_related("user"), pk=member_pk, team_id=pk)
    form = ButtonForm(request.POST)
    if submit(
        request, form, lambda data: actions.remove_member(actor, member) or True, _("The member was removed.")
    ):
        return redirect("teams:team_edit", pk=pk)
    for error in form.non_field_errors():
        messages.error(request, str(error))
    return redirect("teams:team_edit", pk=pk)


# --- the actor's teams and a team's page -------------------------------------------------------------


@client_view
def team_list(request: HttpRequest) -> HttpResponse:
    actor = Actor.from_request(request)
    now = timezone.now()
    upcoming = Meeting.objects.filter(team=OuterRef("pk"), starts_at__gt=now).order_by("starts_at", "pk")
    teams = (
        member_teams(actor)
        .select_related("organisation")
        .annotate(
            next_meeting_at=Subquery(upcoming.values("starts_at")[:1]),
            next_meeting_id=Subquery(upcoming.values("pk")[:1]),
        )
        .order_by("name", "pk")
    )
    # Meetings the actor is a guest at (their own items only): no case label on this page.
    invitations = (
        Meeting.objects.filter(
            pk__in=ItemGuest.objects.filter(user=actor.user).values("item__meeting_id"), ends_at__gte=now
        )
        .select_related("team")
        .annotate(my_items=Count("items", filter=Q(items__guests__user=actor.user), distinct=True))
        .order_by("starts_at", "pk")
    )
    return render(request, "teams/team_list.html", {"teams": list(teams), "invitations": list(invitations)})


@client_view
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    team = _member_team(actor, pk)
    now = timezone.now()
    today = timezone.localdate()
    decided = AgendaItem.objects.filter(case=OuterRef("pk"), decided_at__isnull=False).order_by(
        "-decided_at", "-pk"
    )
    cases = (
        with_named(team.cases.filter(status=CaseStatus.OPEN))
        .select_related(
            "client",
            "team",
            "registered_by_organisation",
            "trajectory__type",
            "trajectory__lead_organisation",
        )
        .annotate(decided_lead=Subquery(decided.values("lead_organisation__name")[:1]))
        .order_by("created_at", "pk")
    )
    page = paginate(request, cases)
    case_rows = [CaseRow.of(c, c.named, c.decided_lead or "") for c in page.object_list]  # type: ignore[attr-defined]
    _audit_views(actor, page.object_list, f"team {team.pk} page")
    upcoming = list(
        team.meetings.filter(starts_at__gt=now)
        .annotate(item_count=Count("items"))
        .order_by("starts_at", "pk")[:MEETINGS_ON_TEAM_PAGE]
    )
    past = list(
        team.meetings.filter(starts_at__lte=now)
        .annotate(item_count=Count("items"))
        .order_by("-starts_at", "-pk")[:MEETINGS_ON_TEAM_PAGE]
    )
    open_actions = list(_open_team_actions(team)[: ACTIONS_ON_TEAM_PAGE + 1])
    return render(
        request,
        "teams/team_detail.html",
        {
            "team": team,
            "page": page,
            "cases": case_rows,
            "upcoming": upcoming,
            "past": past,
            "actions": _action_rows(open_actions[:ACTIONS_ON_TEAM_PAGE], today),
            "more_actions": len(open_actions) > ACTIONS_ON_TEAM_PAGE,
            "button_form": ButtonForm(),
            "here": request.get_full_path(),
        },
    )


@client_view
@require_POST
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    case = Case.objects.filter(pk=pk, team__in=member_teams(actor)).select_related("team").first()
    if case is None:
        raise Http404
    form = ButtonForm(request.POST)
    if submit(request, form, lambda data: actions.close_case(actor, case), _("The case was closed.")) is None:
        for error in form.non_field_errors():
            messages.error(request, str(error))
    return redirect("teams:detail", pk=case.team_id)


# --- registering a case ------------------------------------------------------------------------------


def _visible_client(actor: Actor, request: HttpRequest) -> Client:
    return get_visible(actor, Client.objects.all(), request.GET.get("client"), client_path="")


@client_view
def case_start(request: HttpRequest) -> HttpResponse:
    """Choose the team to register the client for (from the client page or a referral)."""
    actor = Actor.from_request(request)
    client = _visible_client(actor, request)
    referral = request.GET.get("referral", "")
    teams = Team.objects.filter(is_active=True).select_related("organisation").order_by("name", "pk")
    return render(
        request,
        "teams/case_start.html",
        {
            "client": client,
            "teams": teams,
            "query": f"client={client.pk}" + (f"&referral={referral}" if referral.isdigit() else ""),
        },
    )


@client_view
def case_create(request: HttpRequest, team_pk: int) -> HttpResponse:
    """Any network partner whose organisation may see the client registers a case for a team."""
    actor = Actor.from_request(request)
    team = get_object_or_404(Team.objects.select_related("organisation"), pk=team_pk, is_active=True)
    client = _visible_client(actor, request)
    referrals = (
        Referral.objects.for_organisation(actor.organisation)
        .filter(client=client, status=ReferralStatus.CASE_TEAM)
        .select_related("line")
    )
    trajectories = (
        Trajectory.objects.for_organisation(actor.organisation)
        .filter(client=client)
        .open()
        .select_related("type", "lead_organisation")
    )
    initial = {}
    wanted = request.GET.get("referral", "")
    if wanted.isdigit() and referrals.filter(pk=wanted).exists():
        initial["referral"] = int(wanted)
    form = CaseForm(form_data(request), referrals=referrals, trajectories=trajectories, initial=initial)
    case = submit(
        request,
        form,
        lambda data: actions.register_case(actor, team, client, **data),
        _("The case was registered for %(team)s.") % {"team": team.name},
    )
    if case is not None:
        if not is_named(case):
            messages.info(
                request,
                _(
                    "The client has not consented to discussion in this team: the team sees “%(label)s” "
                    "and no name."
                )
                % {"label": case.anonymous_label},
            )
        if is_member(actor, team):
            return redirect("teams:detail", pk=team.pk)
        return redirect("clients:detail", pk=client.pk)
    named = is_named(Case(team=team, client=client))
    intro = (
        _("The client consents to discussion in this team: the members see the name.")
        if named
        else _(
            "The client has not consented to discussion in this team (purpose “discussion in a case team”, "
            "recipient %(org)s): the case is registered and discussed anonymously. If the client agrees, "
            "record that consent on the client page first."
        )
        % {"org": team.organisation}
    )
    return _form_page(
        request,
        form,
        title=_("Register a case for %(team)s") % {"team": team.name},
        subject=str(client),
        intro=intro,
        submit_label=_("Register the case"),
        back=reverse("clients:detail", args=[client.pk]),
        back_label=str(client),
    )


# --- meetings ------------------------------------------------------------------------------------------


@client_view
def meeting_create(request: HttpRequest, team_pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    team = _member_team(actor, team_pk)
    form = MeetingForm(
        form_data(request), initial={"place": team.default_place, "video_link": team.video_link}
    )
    meeting = submit(
        request,
        form,
        lambda data: actions.schedule_meeting(actor, team, **data),
        _("The meeting was planned; its agenda holds the open cases."),
    )
    if meeting is not None:
        return redirect("teams:meeting", pk=meeting.pk)
    return _form_page(
        request,
        form,
        title=_("Plan a meeting"),
        subject=team.name,
        submit_label=_("Plan the meeting"),
        back=reverse("teams:detail", args=[team.pk]),
        back_label=team.name,
    )


@client_view
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Members see the whole agenda, attendance and open actions; a guest their own items only."""
    actor = Actor.from_request(request)
    meeting = get_meeting(actor, pk)
    member = is_member(actor, meeting.team)
    today = timezone.localdate()
    items = list(_items(visible_items(actor, meeting)))
    rows = [_item_row(item, today) for item in items]
    _audit_views(actor, [item.case for item in items if item.case is not None], f"team meeting {meeting.pk}")
    context: dict[str, Any] = {"meeting": meeting, "team": meeting.team, "member": member, "rows": rows}
    if member:
        people = actions.expected_people(meeting)
        attendance = {a.user_id: a.present for a in Attendance.objects.filter(meeting=meeting)}
        context["attendance_form"] = AttendanceForm(
            people=people, initial={"present": [pk for pk, present in attendance.items() if present]}
        )
        context["attendance_recorded"] = bool(attendance)
        context["open_actions"] = _action_rows(_open_team_actions(meeting.team), today)
        context["button_form"] = ButtonForm()
        context["here"] = request.get_full_path()
    return render(request, "teams/meeting.html", context)


@client_view
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    meeting = get_meeting(actor, pk)
    if not is_member(actor, meeting.team):
        raise Http404
    form = AttendanceForm(form_data(request), people=actions.expected_people(meeting))
    done = submit(
        request,
        form,
        lambda data: actions.record_attendance(actor, meeting, present=data["present"]),
        _("The attendance was recorded."),
    )
    if done is not None:
        return redirect("teams:meeting", pk=meeting.pk)
    return _form_page(
        request,
        form,
        title=_("Attendance"),
        subject=str(meeting),
        submit_label=_("Save"),
        back=reverse("teams:meeting", args=[meeting.pk]),
        back_label=str(meeting),
    )


@client_view
@require_POST
def agenda_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    meeting = get_meeting(actor, pk)
    if not is_member(actor, meeting.team):
        raise Http404
    form = ButtonForm(request.POST)
    added = submit(
        request, form, lambda data: actions.refresh_agenda(actor, meeting), _("The agenda was updated.")
    )
    if added is not None and not added:
        messages.info(request, _("Nothing new to add."))
    return redirect("teams:meeting", pk=meeting.pk)


# --- an agenda item: minutes, guests, decision, actions ----------------------------------------------


def _item_url(item: AgendaItem) -> str:
    return reverse("teams:item_minutes", args=[item.pk])


@client_view
def item_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The item page: its case, minutes and decision. Members write; a guest of the item reads."""
    actor = Actor.from_request(request)
    item, member = _get_item(actor, pk)
    if request.method == "POST" and not member:
        raise Http404
    today = timezone.localdate()
    row = _item_row(item, today)
    # The redacted text while the case is anonymous: minutes written under a consent since withdrawn
    # may name the client.
    form = MinutesForm(form_data(request), initial={"minutes": row.minutes})
    saved = submit(
        request,
        form,
        lambda data: actions.record_minutes(actor, item, minutes=data["minutes"]),
        _("The minutes were saved."),
    )
    if saved is not None:
        return redirect(_item_url(item))
    if item.case is not None:
        _audit_views(actor, [item.case], f"team item {item.pk}")
    context: dict[str, Any] = {"item": item, "row": row, "meeting": item.meeting, "member": member}
    if member:
        context["minutes_form"] = form
        context["button_form"] = ButtonForm()
        context["here"] = request.get_full_path()
        context["action_form"] = ActionForm(owners=actions.possible_owners(item))
        if item.case is not None:
            initial = {"lead_organisation": item.lead_organisation_id, "next_steps": row.next_steps}
            context["decision_form"] = DecisionForm(initial=initial)
            context["invite_form"] = InviteForm(exclude=_not_invitable(item))
        if item.case is None and item.title == actions.OPEN_ACTIONS_TITLE:
            context["open_actions"] = _action_rows(_open_team_actions(item.meeting.team), today)
    return render(request, "teams/item.html", context, status=400 if request.method == "POST" else 200)


def _item_action(
    request: HttpRequest,
    item: AgendaItem,
    form: forms.BaseForm,
    run: Callable[[dict[str, Any]], object],
    *,
    success: str,
    title: str,
    submit_label: str,
    after: Callable[[object], None] | None = None,
) -> HttpResponse:
    """One action on an item: run it through submit(); on success back to the item page, otherwise
    the form again with the message (nothing was written)."""
    result = submit(request, form, run, success)
    if result is not None:
        if after is not None:
            after(result)
        return redirect(_item_url(item))
    named = bool(getattr(item, "named", False))
    label = case_label(item.case, named) if item.case is not None else _(item.title)
    return _form_page(
        request,
        form,
        title=title,
        subject=label,
        submit_label=submit_label,
        back=_item_url(item),
        back_label=label,
        status=400 if request.method == "POST" else 200,
    )


@client_view
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    item, _member = _get_item(actor, pk, member_only=True)
    form = InviteForm(form_data(request), exclude=_not_invitable(item))
    return _item_action(
        request,
        item,
        form,
        lambda data: actions.invite_guest(actor, item, user=data["user"], organisation=data["organisation"]),
        success=_("The guest was invited for this item; they see this item only."),
        title=_("Invite a guest"),
        submit_label=_("Invite"),
    )


@client_view
@require_POST
def uninvite(request: HttpRequest, pk: int, guest_pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    item, _member = _get_item(actor, pk, member_only=True)
    guest = ItemGuest.objects.filter(pk=guest_pk, item=item).select_related("user").first()
    if guest is None:
        raise Http404
    guest.item = item
    form = ButtonForm(request.POST)
    if (
        submit(
            request,
            form,
            lambda data: actions.remove_guest(actor, guest) or True,
            _("The invitation was withdrawn."),
        )
        is None
    ):
        for error in form.non_field_errors():
            messages.error(request, str(error))
    return redirect(_item_url(item))


def _decision_messages(request: HttpRequest, result: object) -> None:
    if not isinstance(result, actions.DecisionResult):
        return
    if result.handover is not None:
        messages.success(
            request,
            _("The handover to %(org)s was proposed; they decide on it in their handover inbox.")
            % {"org": result.handover.to_organisation},
        )
    elif result.referral is not None:
        messages.success(
            request, _("The referral was redirected to the line “%(line)s”.") % {"line": result.referral.line}
        )
    elif result.not_started:
        messages.info(request, _("Nothing was started: %(why)s") % {"why": result.not_started})


@client_view
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    item, _member = _get_item(actor, pk, member_only=True)
    if item.case is None:
        raise Http404
    form = DecisionForm(form_data(request), initial={"lead_organisation": item.lead_organisation_id})

    def run(data: dict[str, Any]) -> actions.DecisionResult:
        return actions.decide_case(
            actor,
            item,
            lead_organisation=data["lead_organisation"],
            next_steps=data["next_steps"],
            start=data["start"],
            evidence=form.evidence_value(),
        )

    return _item_action(
        request,
        item,
        form,
        run,
        success=_("The decision was saved."),
        title=_("Decision"),
        submit_label=_("Save the decision"),
        after=lambda result: _decision_messages(request, result),
    )


@client_view
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = Actor.from_request(request)
    item, _member = _get_item(actor, pk, member_only=True)
    form = ActionForm(form_data(request), owners=actions.possible_owners(item))
    return _item_action(
        request,
        item,
        form,
        lambda data: actions.create_action(actor, item, **data),
        success=_("The action was added; it appears in its owner's list."),
        title=_("New action"),
        submit_label=_("Add the action"),
    )


@client_view
@require_POST
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner or a fixed member marks an action done."""
    actor = Actor.from_request(request)
    action = (
        ActionItem.objects.filter(pk=pk)
        .filter(Q(team__in=member_teams(actor)) | Q(owner=actor.user))
        .select_related("team", "case")
        .first()
    )
    if action is None:
        raise Http404
    form = ButtonForm(request.POST)
    if (
        submit(
            request,
            form,
            lambda data: actions.complete_action(actor, action),
            _("The action is marked done."),
        )
        is None
    ):
        for error in form.non_field_errors():
            messages.error(request, str(error))
    fallback = (
        reverse("teams:detail", args=[action.team_id])
        if is_member(actor, action.team)
        else reverse("teams:list")
    )
    return redirect(_safe_next(request, fallback))
