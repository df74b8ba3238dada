"""Appointments and self-bookings: the coach's decisions and the public page's one write.

Two people at once: every action that takes a slot locks the consultation hours' row first
(`relock`), then checks that the slot is still free; a unique constraint per slot backs it up. A
decision on an appointment or a booking locks that row and is refused the second time, naming who
decided first and when.
"""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.clients.actions import Evidence, register_client
from werkbrug.clients.models import Client
from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import moment, relock, who
from werkbrug.core.exceptions import DomainError, InvalidTransition
from werkbrug.core.models import AuditAction
from werkbrug.outreach.actions import require_keeper
from werkbrug.outreach.models import (
    TAKEN,
    Appointment,
    AppointmentState,
    Booking,
    BookingStatus,
    CancelledDate,
    Channel,
    Hours,
    Site,
)
from werkbrug.outreach.schedule import Slot, slot_of

# Abuse protection of the public page (docs/outreach.md); settings may override each.
BOOKINGS_PER_ADDRESS_PER_HOUR = 5
BOOKINGS_PER_SITE_PER_HOUR = 40
OPEN_BOOKINGS_PER_CONTACT = 2


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _check_slot_free(hours: Hours, starts_at: datetime.datetime) -> Slot:
    """The slot of `hours` at `starts_at`, if the rule has it, it is not cancelled, not past and not
    held by an appointment or a pending booking. Call with the hours' row locked."""
    slot = slot_of(hours, starts_at)
    if slot is None or CancelledDate.objects.filter(hours=hours, on=slot.starts_at.date()).exists():
        raise DomainError(_("There is no consultation at that time."), field="slot")
    if slot.starts_at <= timezone.now():
        raise DomainError(_("That time has passed; choose another."), field="slot")
    held = Appointment.objects.filter(hours=hours, starts_at=starts_at, state__in=TAKEN).exists()
    held = (
        held
        or Booking.objects.filter(hours=hours, starts_at=starts_at, status=BookingStatus.PENDING).exists()
    )
    if held:
        raise DomainError(_("That time was taken in the meantime; choose another."), field="slot")
    return slot


def _contact_key(phone: str, email: str) -> str:
    if email.strip():
        return "e:" + email.strip().lower()
    return "p:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+")


def _new_appointment(
    actor: Actor, hours: Hours, starts_at: datetime.datetime, **person: object
) -> Appointment:
    relock(hours)
    slot = _check_slot_free(hours, starts_at)
    appointment = Appointment.objects.create(
        hours=hours, starts_at=slot.starts_at, ends_at=slot.ends_at, created_by=actor.user, **person
    )
    audit.record(
        actor,
        AuditAction.CREATE,
        appointment,
        client_id=appointment.client_id,
        summary=f"appointment {appointment.channel}",
    )
    return appointment


@transaction.atomic
def book_appointment(
    actor: Actor,
    hours: Hours,
    *,
    starts_at: datetime.datetime,
    first_name: str,
    phone: str = "",
    email: str = "",
) -> Appointment:
    """The coach books a slot for someone they met or who called."""
    require_keeper(actor, hours.site)
    if not first_name.strip():
        raise DomainError(_("Give a first name."), field="first_name")
    return _new_appointment(
        actor,
        hours,
        starts_at,
        first_name=first_name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        channel=Channel.COACH,
    )


def _decided(message: str, by: object, at: datetime.datetime | None) -> str:
    return message % {"who": who(by), "when": moment(at) if at else ""}


@transaction.atomic
def set_appointment_state(actor: Actor, appointment: Appointment, *, state: str) -> Appointment:
    """Attended, no-show or cancelled. A no-show is only counted: nothing else follows from it."""
    relock(appointment)
    require_keeper(actor, appointment.hours.site)
    if appointment.state != AppointmentState.BOOKED:
        raise InvalidTransition(
            _decided(
                _("%(who)s already marked this appointment (%(when)s): ") + appointment.get_state_display(),
                appointment.decided_by,
                appointment.decided_at,
            )
        )
    appointment.set_state(state, actor.user)
    appointment.save(update_fields=["state", "decided_by", "decided_at"])
    audit.record(
        actor,
        AuditAction.UPDATE,
        appointment,
        client_id=appointment.client_id,
        summary=f"appointment {state}",
    )
    return appointment


def throttle_key(kind: str, value: str) -> str:
    # The address itself is never stored, not even in the cache: only a digest of it.
    return f"outreach:book:{kind}:" + hashlib.sha256(value.encode()).hexdigest()[:32]


def _count(key: str) -> int:
    """One more attempt within the hour; the number so far, this one included."""
    cache.add(key, 0, timeout=3600)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        return 1


def throttled(site: Site, address: str) -> bool:
    """Counts this attempt for the address and the site; True when either had its hourly share.
    The count lives in Django's cache (settings.CACHES): in production a table in the database that
    every worker and host shares, so the limit holds for the whole service; its increments are not
    atomic, so two attempts at the same moment may count once (docs/outreach.md)."""
    if _count(throttle_key("address", address)) > _limit(
        "OUTREACH_BOOKINGS_PER_ADDRESS_PER_HOUR", BOOKINGS_PER_ADDRESS_PER_HOUR
    ):
        return True  # not counted for the site: one address cannot use up a site's share
    by_site = _count(throttle_key("site", str(site.pk)))
    return by_site > _limit("OUTREACH_BOOKINGS_PER_SITE_PER_HOUR", BOOKINGS_PER_SITE_PER_HOUR)


@transaction.atomic
def self_book(
    site: Site,
    *,
    first_name: str,
    phone: str,
    email: str,
    consent_text: str,
    language: str,
    hours: Hours | None = None,
    starts_at: datetime.datetime | None = None,
) -> Booking:
    """A booking from the public page: a pending registration for the coach to confirm, never a
    client file. Without a slot it asks to be called."""
    relock(site)
    if not site.booking_open:
        raise DomainError(_("This site does not take bookings at the moment."))
    if not first_name.strip():
        raise DomainError(_("Give your first name."), field="first_name")
    if not (phone.strip() or email.strip()):
        raise DomainError(_("Give a phone number or an e-mail address."), field="phone")
    key = _contact_key(phone, email)
    open_ones = Booking.objects.filter(contact_key=key, status=BookingStatus.PENDING).count()
    if open_ones >= _limit("OUTREACH_OPEN_BOOKINGS_PER_CONTACT", OPEN_BOOKINGS_PER_CONTACT):
        raise DomainError(_("You already have a booking waiting for the coach. The coach contacts you soon."))
    slot_start = None
    if hours is not None and starts_at is not None:
        if hours.site_id != site.pk:
            raise DomainError(_("There is no consultation at that time."), field="slot")
        relock(hours)
        slot_start = _check_slot_free(hours, starts_at).starts_at
    return Booking.objects.create(
        site=site,
        hours=hours if slot_start else None,
        starts_at=slot_start,
        first_name=first_name.strip(),
        phone=phone.strip(),
        email=email.strip(),
        contact_key=key,
        channel=Channel.SELF_BOOKING,
        consent_text=consent_text,
        consent_language=language,
    )


def _check_pending(booking: Booking) -> None:
    if booking.status != BookingStatus.PENDING:
        raise InvalidTransition(
            _decided(
                _("%(who)s already handled this booking (%(when)s): ") + booking.get_status_display(),
                booking.decided_by,
                booking.decided_at,
            )
        )


def confirm_booking(
    actor: Actor,
    booking: Booking,
    *,
    hours: Hours | None = None,
    starts_at: datetime.datetime | None = None,
    register: bool = False,
    last_name: str = "",
    birth_date: datetime.date | None = None,
    gender: str = "",
    evidence: Evidence | None = None,
) -> Appointment:
    """Confirm: the appointment in the booked slot (or the one the coach chose after calling back)
    and, when the coach chooses, the person registered as a client through the clients actions."""
    with transaction.atomic():
        relock(booking)
        require_keeper(actor, booking.site)
        _check_pending(booking)
        hours = hours or booking.hours
        starts_at = starts_at or booking.starts_at
        if hours is None or starts_at is None:
            raise DomainError(_("Choose a time for the appointment."), field="slot")
        if hours.site_id != booking.site_id:
            raise DomainError(_("There is no consultation at that time."), field="slot")
        client: Client | None = None
        if register:
            if not last_name.strip() or birth_date is None or not gender or evidence is None:
                raise DomainError(
                    _(
                        "To register the person, give the last name, birth date, gender and how they consented."
                    )
                )
            client = register_client(
                actor,
                Client(
                    first_name=booking.first_name,
                    last_name=last_name.strip(),
                    birth_date=birth_date,
                    gender=gender,
                    phone=booking.phone,
                    email=booking.email,
                    subregion=booking.site.subregion,
                ),
                evidence,
            )
        # The booking's own pending hold on the slot ends here, so the slot is free for it.
        booking.status = BookingStatus.CONFIRMED
        booking.decided_by = actor.user
        booking.decided_at = timezone.now()
        booking.save(update_fields=["status", "decided_by", "decided_at"])
        appointment = _new_appointment(
            actor,
            hours,
            starts_at,
            first_name=booking.first_name,
            phone=booking.phone,
            email=booking.email,
            client=client,
            channel=Channel.SELF_BOOKING,
        )
        booking.appointment = appointment
        booking.save(update_fields=["appointment"])
        audit.record(
            actor, AuditAction.UPDATE, booking, client_id=appointment.client_id, summary="booking confirmed"
        )
        return appointment


@transaction.atomic
def reject_booking(actor: Actor, booking: Booking) -> Booking:
    """Reject (a joke, a double, someone the coach reached otherwise): the slot is free again, and
    the person's name and contact are deleted, as the consent text on the page promises. The row
    stays, so the bookings of a site can still be counted."""
    relock(booking)
    require_keeper(actor, booking.site)
    _check_pending(booking)
    booking.status = BookingStatus.REJECTED
    booking.decided_by = actor.user
    booking.decided_at = timezone.now()
    booking.first_name = booking.phone = booking.email = booking.contact_key = ""
    booking.save(
        update_fields=["status", "decided_by", "decided_at", "first_name", "phone", "email", "contact_key"]
    )
    audit.record(actor, AuditAction.UPDATE, booking, client_id=None, summary="booking rejected")
    return booking
