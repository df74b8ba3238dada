"""Writes on info sessions and individual paths: atomic, validated, audited (docs/outreach.md).

A session is no client data. A path names a person (a first name; a client file when linked): its
audit rows carry the client id when there is one.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.clients.access import scope
from werkbrug.clients.actions import involve
from werkbrug.clients.models import Client, InvolvementReason
from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import relock
from werkbrug.core.exceptions import DomainError, InvalidTransition, require_not_future
from werkbrug.core.models import AuditAction
from werkbrug.network.models import Organisation, OrganisationKind, TrajectoryType
from werkbrug.outreach.actions import require_keeper
from werkbrug.outreach.models import (
    INCAPACITY_STATUSES,
    Appointment,
    AppointmentState,
    Audience,
    Channel,
    Conversation,
    Destination,
    InfoSession,
    MaatwerkKind,
    OnwardReferral,
    Path,
    PathChannel,
    SessionKind,
    Site,
)
from werkbrug.trajectories.models import (
    PartnerRole,
    Trajectory,
    TrajectoryEvent,
    TrajectoryEventKind,
    TrajectoryPartner,
    TrajectoryStatus,
)

OUTREACH_TYPE = "outreach"


@transaction.atomic
def record_session(
    actor: Actor,
    site: Site,
    *,
    held_on: datetime.date,
    kind: str,
    audience: str,
    reached: int,
    note: str = "",
) -> InfoSession:
    relock(site)
    require_keeper(actor, site)
    require_not_future(held_on, field="held_on")
    if kind not in SessionKind.values:
        raise DomainError(_("Unknown kind."), field="kind")
    if audience not in Audience.values:
        raise DomainError(_("Unknown audience."), field="audience")
    if not 0 <= reached <= 10_000:
        raise DomainError(_("Give the number reached (0 to 10,000)."), field="reached")
    session = InfoSession.objects.create(
        site=site,
        held_on=held_on,
        kind=kind,
        audience=audience,
        reached=reached,
        note=note.strip(),
        recorded_by=actor.user,
    )
    audit.record(
        actor, AuditAction.CREATE, session, client_id=None, summary=f"info session, {reached} reached"
    )
    return session


def _audit(actor: Actor, action: str, obj: object, path: Path, summary: str) -> None:
    audit.record(actor, action, obj, client_id=path.client_id, summary=summary)  # type: ignore[arg-type]


@transaction.atomic
def start_path(
    actor: Actor,
    site: Site,
    *,
    first_name: str,
    channel: str,
    started_on: datetime.date,
    client: Client | None = None,
) -> Path:
    relock(site)
    require_keeper(actor, site)
    require_not_future(started_on, field="started_on")
    if channel not in PathChannel.values:
        raise DomainError(_("Unknown channel."), field="channel")
    if not first_name.strip():
        raise DomainError(_("Give a first name."), field="first_name")
    trajectory = None
    if client is not None:
        # The path hangs on the client's outreach trajectory: only for a file the coach may see.
        if not scope(actor, Client.objects.filter(pk=client.pk), "").exists():
            raise DomainError(_("This client file is not visible to you."), field="client")
        trajectory = outreach_trajectory(actor, site, client, started_on)
    path = Path.objects.create(
        site=site,
        coach=actor.user,
        first_name=first_name.strip(),
        client=client,
        trajectory=trajectory,
        channel=channel,
        started_on=started_on,
        created_by=actor.user,
    )
    _audit(actor, AuditAction.CREATE, path, path, "outreach path")
    return path


def outreach_trajectory(actor: Actor, site: Site, client: Client, started_on: datetime.date) -> Trajectory:
    """The client's open outreach trajectory at the site's organisation, started (with this coach)
    when there is none. Called inside `start_path`'s transaction, after the site was locked."""
    organisation = site.run_by
    existing = (
        Trajectory.objects.filter(
            client=client,
            type__code=OUTREACH_TYPE,
            lead_organisation=organisation,
            status__in=(TrajectoryStatus.ACTIVE, TrajectoryStatus.PAUSED),
        )
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    kind = TrajectoryType.objects.filter(code=OUTREACH_TYPE).first()
    if kind is None:
        raise DomainError(_("The network has no trajectory type for outreach coaching."))
    trajectory = Trajectory.objects.create(
        client=client, type=kind, lead_organisation=organisation, coach=actor.user, started_on=started_on
    )
    involve(client, organisation, InvolvementReason.LEAD)
    TrajectoryEvent.objects.create(
        trajectory=trajectory,
        kind=TrajectoryEventKind.STARTED,
        by=actor.user,
        organisation=actor.org,
        detail=str(kind),
    )
    audit.record(
        actor, AuditAction.CREATE, trajectory, client_id=client.pk, summary="outreach trajectory started"
    )
    return trajectory


@transaction.atomic
def start_path_from_appointment(actor: Actor, appointment: Appointment) -> Path:
    """The person of an attended appointment starts a path: the appointment is its first
    conversation. Once: a second start names the path that exists."""
    relock(appointment)
    if appointment.path_id is not None:
        raise InvalidTransition(_("This appointment already has a path."))
    if appointment.state != AppointmentState.ATTENDED:
        raise DomainError(_("Mark the appointment attended first."))
    channel = PathChannel.SELF_BOOKING if appointment.channel == Channel.SELF_BOOKING else PathChannel.HOURS
    path = start_path(
        actor,
        appointment.hours.site,
        first_name=appointment.first_name,
        channel=channel,
        started_on=timezone.localtime(appointment.starts_at).date(),
        client=appointment.client,
    )
    appointment.path = path
    appointment.save(update_fields=["path"])
    return path


def _open(path: Path) -> None:
    if path.closed_on is not None:
        raise InvalidTransition(_("This path was closed on %(date)s.") % {"date": path.closed_on})


@transaction.atomic
def add_conversation(actor: Actor, path: Path, *, on: datetime.date, note: str = "") -> Conversation:
    relock(path)
    require_keeper(actor, path.site)
    _open(path)
    require_not_future(on, field="on")
    if on < path.started_on:
        raise DomainError(_("The date lies before the path's first conversation."), field="on")
    conversation = Conversation.objects.create(path=path, on=on, note=note.strip(), by=actor.user)
    _audit(actor, AuditAction.UPDATE, path, path, "outreach conversation")
    return conversation


def conversation_count(path: Path) -> int:
    """Conversations with the person: the attended appointments of the path and the contacts."""
    attended = path.appointments.filter(state=AppointmentState.ATTENDED).count()  # type: ignore[attr-defined]
    return attended + path.conversations.count()  # type: ignore[attr-defined]


@transaction.atomic
def record_decision(actor: Actor, path: Path, *, on: datetime.date, note: str = "") -> Path:
    """The informed decision, once: a second one is refused saying when it was recorded."""
    relock(path)
    require_keeper(actor, path.site)
    _open(path)
    if path.decided_on is not None:
        raise InvalidTransition(
            _("The informed decision was already recorded on %(date)s.") % {"date": path.decided_on}
        )
    require_not_future(on, field="on")
    if on < path.started_on:
        raise DomainError(_("The date lies before the path's first conversation."), field="on")
    path.decided_on, path.decision_note = on, note.strip()
    path.save(update_fields=["decided_on", "decision_note"])
    _audit(actor, AuditAction.UPDATE, path, path, "informed decision")
    return path


@transaction.atomic
def set_waiting(actor: Actor, path: Path, *, waiting_for: str, remind_on: datetime.date | None) -> Path:
    """Waiting for an outside service keeps the path open, with a reminder; empty clears it."""
    relock(path)
    require_keeper(actor, path.site)
    _open(path)
    waiting_for = waiting_for.strip()
    if waiting_for and remind_on is None:
        raise DomainError(_("Choose when to be reminded."), field="remind_on")
    if remind_on is not None and remind_on < timezone.localdate():
        raise DomainError(_("The reminder lies in the past."), field="remind_on")
    path.waiting_for, path.remind_on = waiting_for, (remind_on if waiting_for else None)
    path.save(update_fields=["waiting_for", "remind_on"])
    _audit(
        actor,
        AuditAction.UPDATE,
        path,
        path,
        "waiting for an outside service" if waiting_for else "no longer waiting",
    )
    return path


@transaction.atomic
def close_path(actor: Actor, path: Path, *, on: datetime.date) -> Path:
    relock(path)
    require_keeper(actor, path.site)
    _open(path)
    if path.waiting_for:
        raise DomainError(
            _("The person is waiting for %(service)s: the path stays open until that is cleared.")
            % {"service": path.waiting_for}
        )
    require_not_future(on, field="on")
    if on < path.started_on:
        raise DomainError(_("The date lies before the path's first conversation."), field="on")
    path.closed_on = on
    path.save(update_fields=["closed_on"])
    _audit(actor, AuditAction.UPDATE, path, path, "outreach path closed")
    return path


def has_work_incapacity(client: Client | None, said: bool) -> bool:
    """A recognised work incapacity: the client's benefit status when there is a file (the status
    of the day the referral is recorded, kept with it), else what the coach was told."""
    if client is not None:
        return client.benefit_status in INCAPACITY_STATUSES
    return said


@transaction.atomic
def refer_onward(
    actor: Actor,
    path: Path,
    *,
    destination: str,
    referred_on: datetime.date,
    maatwerk_kind: str = "",
    work_incapacity: bool = False,
    note: str = "",
) -> OnwardReferral:
    """An onward referral, presumed: the coach's estimate until verified."""
    relock(path)
    require_keeper(actor, path.site)
    _open(path)
    if destination not in Destination.values:
        raise DomainError(_("Unknown destination."), field="destination")
    if destination == Destination.MAATWERK and maatwerk_kind not in MaatwerkKind.values:
        raise DomainError(_("Say whether the maatwerk is individual or collective."), field="maatwerk_kind")
    if destination != Destination.MAATWERK:
        maatwerk_kind = ""
    require_not_future(referred_on, field="referred_on")
    if referred_on < path.started_on:
        raise DomainError(_("The date lies before the path's first conversation."), field="referred_on")
    client = Client.objects.filter(pk=path.client_id).first() if path.client_id else None
    referral = OnwardReferral.objects.create(
        path=path,
        destination=destination,
        maatwerk_kind=maatwerk_kind,
        referred_on=referred_on,
        work_incapacity=has_work_incapacity(client, work_incapacity),
        note=note.strip(),
        recorded_by=actor.user,
    )
    _audit(actor, AuditAction.CREATE, referral, path, f"onward referral: {destination}")
    return referral


@transaction.atomic
def verify_referral(actor: Actor, referral: OnwardReferral, *, on: datetime.date) -> OnwardReferral:
    """Verified: the referral keeps its first date and gets the day it was verified. Once."""
    relock(referral)
    path = referral.path
    require_keeper(actor, path.site)
    if referral.verified_on is not None:
        raise InvalidTransition(
            _("This referral was already verified on %(date)s.") % {"date": referral.verified_on}
        )
    require_not_future(on, field="on")
    if on < referral.referred_on:
        raise DomainError(_("The date lies before the referral."), field="on")
    referral.verified_on, referral.verified_by = on, actor.user
    referral.save(update_fields=["verified_on", "verified_by"])
    _audit(actor, AuditAction.UPDATE, referral, path, "onward referral verified")
    return referral


@transaction.atomic
def name_care_partner(actor: Actor, path: Path, *, organisation: Organisation) -> TrajectoryPartner:
    """The care organisation that sent the person (a path with a client file): it becomes the care
    partner in the background of the outreach trajectory, so that the written summary and feedback
    reuse what exists (exchange's feedback to the referrer), with the client's consent only. Naming
    it shares nothing by itself: reading needs the client's consents for that organisation."""
    relock(path)
    require_keeper(actor, path.site)
    if path.trajectory_id is None or path.client_id is None:
        raise DomainError(_("Only a path with a client file has a care partner."))
    if organisation.kind != OrganisationKind.CARE:
        raise DomainError(_("Choose a care organisation."), field="organisation")
    if TrajectoryPartner.objects.filter(
        trajectory_id=path.trajectory_id, role=PartnerRole.CARE_BACKGROUND
    ).exists():
        raise InvalidTransition(_("The care partner of this path was already named."))
    partner = TrajectoryPartner.objects.create(
        trajectory_id=path.trajectory_id, organisation=organisation, role=PartnerRole.CARE_BACKGROUND
    )
    involve(path.client, organisation, InvolvementReason.PARTNER)  # type: ignore[arg-type]
    _audit(actor, AuditAction.UPDATE, path, path, f"care partner {organisation.pk} named")
    return partner
