"""Writes on sites, their recruitment and agreements: atomic, validated, audited (DESIGN §4.1).

A site and its agreement are no client data; their audit rows carry no client id.
"""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.clients.actions import signed_form_problem
from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import relock
from werkbrug.core.exceptions import DomainError, require_not_future
from werkbrug.core.models import AuditAction
from werkbrug.core.privatefiles import kept_uploads
from werkbrug.network.models import Organisation, User
from werkbrug.outreach.access import OUTREACH_ROLES, is_coach_of
from werkbrug.outreach.models import Agreement, CancelledDate, Hours, RecruitmentStep, Site, Stage
from werkbrug.outreach.schedule import dates

SITE_FIELDS = ("name", "kind", "address", "subregion", "host", "host_name", "champion_name", "champion_role")


def require_keeper(actor: Actor, site: Site | None = None) -> Organisation:
    """Coaches and coordinators of the organisation that runs the site keep it."""
    if actor.role not in OUTREACH_ROLES or actor.organisation is None:
        raise DomainError(_("Only coaches and coordinators keep outreach sites."))
    if site is not None and site.run_by_id != actor.organisation.pk:
        raise DomainError(_("This site is run by another organisation."))
    return actor.organisation


def _check_site(site: Site) -> None:
    if site.host_id and site.host_name.strip():
        raise DomainError(
            _("Choose the member organisation or type the name of one that is not a member, not both."),
            field="host_name",
        )


@transaction.atomic
def create_site(actor: Actor, **fields: object) -> Site:
    site = Site(run_by=require_keeper(actor), **{k: v for k, v in fields.items() if k in SITE_FIELDS})
    _check_site(site)
    site.full_clean()
    site.save()
    audit.record(actor, AuditAction.CREATE, site, client_id=None, summary="outreach site")
    return site


@transaction.atomic
def update_site(actor: Actor, site: Site, **fields: object) -> Site:
    relock(site)
    require_keeper(actor, site)
    for name, value in fields.items():
        if name in SITE_FIELDS:
            setattr(site, name, value)
    _check_site(site)
    site.full_clean()
    site.save()
    audit.record(actor, AuditAction.UPDATE, site, client_id=None, summary="outreach site")
    return site


def current_step(site: Site) -> RecruitmentStep | None:
    return site.steps.order_by("-on", "-pk").first()


@transaction.atomic
def record_step(
    actor: Actor, site: Site, *, stage: int, on: datetime.date | None = None, note: str = ""
) -> RecruitmentStep:
    """The next stage in order, or back to an earlier one (or the same) with a note saying why."""
    relock(site)
    require_keeper(actor, site)
    on = on or timezone.localdate()
    if stage not in Stage.values:
        raise DomainError(_("Unknown stage."), field="stage")
    require_not_future(on, field="on", message=_("A step cannot be dated in the future."))
    latest = current_step(site)
    at = latest.stage if latest else 0
    if latest is not None and on < latest.on:
        raise DomainError(
            _("The step lies before the previous one (%(date)s).") % {"date": latest.on}, field="on"
        )
    if stage > at + 1:
        raise DomainError(
            _("The stages go in order: the next one is “%(stage)s”.") % {"stage": Stage(at + 1).label},
            field="stage",
        )
    if stage <= at and not note.strip():
        raise DomainError(_("Going back (or staying) needs a note saying why."), field="note")
    step = RecruitmentStep.objects.create(site=site, stage=stage, on=on, by=actor.user, note=note.strip())
    audit.record(actor, AuditAction.UPDATE, site, client_id=None, summary=f"recruitment stage {stage}")
    return step


def record_agreement(
    actor: Actor,
    site: Site,
    *,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    min_inflow_per_year: int | None = None,
    dpo_signed_on: datetime.date | None = None,
    signed_on: datetime.date | None = None,
    signed_document: UploadedFile | None = None,
) -> Agreement:
    """The cooperation agreement, with the signed PDF kept as a signed consent form is
    (core.privatefiles: outside the web root, deleted again when the transaction does not commit)."""
    with kept_uploads(durable=signed_document is not None) as kept:
        relock(site)
        require_keeper(actor, site)
        if ends_on is not None and ends_on < starts_on:
            raise DomainError(_("The end date lies before the start date."), field="ends_on")
        for name, day in (("dpo_signed_on", dpo_signed_on), ("signed_on", signed_on)):
            require_not_future(day, field=name)
        if signed_document is not None:
            problem = signed_form_problem(signed_document)
            if problem:
                raise DomainError(problem, field="signed_document")
            if signed_on is None:
                raise DomainError(_("Say when the agreement was signed."), field="signed_on")
        agreement = Agreement(
            site=site,
            starts_on=starts_on,
            ends_on=ends_on,
            min_inflow_per_year=min_inflow_per_year,
            dpo_signed_on=dpo_signed_on,
            signed_on=signed_on,
            recorded_by=actor.user,
        )
        if signed_document is not None:
            kept.save_pdf(agreement.signed_document, signed_document)
        agreement.save()
        audit.record(
            actor,
            AuditAction.CREATE,
            agreement,
            client_id=None,
            summary="cooperation agreement" + (" (signed document uploaded)" if signed_document else ""),
        )
        return agreement


@transaction.atomic
def add_hours(
    actor: Actor,
    site: Site,
    *,
    coach: User,
    weekday: int,
    starts_at: datetime.time,
    ends_at: datetime.time,
    valid_from: datetime.date,
    valid_until: datetime.date | None = None,
    every: int = 1,
    slot_minutes: int = 30,
    place: str = "",
) -> Hours:
    relock(site)
    require_keeper(actor, site)
    if not is_coach_of(coach, site):
        raise DomainError(_("Choose a coach of the organisation that runs the site."), field="coach")
    if ends_at <= starts_at:
        raise DomainError(_("The hours end before they begin."), field="ends_at")
    if valid_until is not None and valid_until < valid_from:
        raise DomainError(_("The end date lies before the start date."), field="valid_until")
    if not 10 <= slot_minutes <= 240:
        raise DomainError(_("A slot lasts between 10 and 240 minutes."), field="slot_minutes")
    length = (
        datetime.datetime.combine(valid_from, ends_at) - datetime.datetime.combine(valid_from, starts_at)
    ).total_seconds() / 60
    if length < slot_minutes:
        raise DomainError(_("The hours are shorter than one slot."), field="slot_minutes")
    hours = Hours(
        site=site,
        coach=coach,
        weekday=weekday,
        starts_at=starts_at,
        ends_at=ends_at,
        valid_from=valid_from,
        valid_until=valid_until,
        every=every,
        slot_minutes=slot_minutes,
        place=place.strip(),
        created_by=actor.user,
    )
    hours.full_clean()
    hours.save()
    audit.record(actor, AuditAction.CREATE, hours, client_id=None, summary="consultation hours")
    return hours


@transaction.atomic
def cancel_date(actor: Actor, hours: Hours, *, on: datetime.date, reason: str = "") -> CancelledDate:
    """An exception to the hours; appointments already made that day stay for the coach to cancel."""
    relock(hours)
    require_keeper(actor, hours.site)
    if next(iter(dates(hours, on, on)), None) is None:
        raise DomainError(_("The hours do not take place on that date."), field="on")
    if CancelledDate.objects.filter(hours=hours, on=on).exists():
        raise DomainError(_("That date is already cancelled."), field="on")
    cancelled = CancelledDate.objects.create(hours=hours, on=on, reason=reason.strip(), by=actor.user)
    audit.record(actor, AuditAction.UPDATE, hours, client_id=None, summary=f"hours cancelled on {on}")
    return cancelled
