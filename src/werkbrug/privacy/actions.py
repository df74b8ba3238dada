"""Erasing a client's data (GDPR art. 17) on a recorded request, for the privacy officer and for the
retention rule (docs/privacy.md).

Erasure removes who the person is and everything people wrote about them, and keeps the anonymous
facts the reports count: gender, birth year, sub-region, benefit status, the dates, types, statuses
and outcomes of referrals and trajectories, and which organisations took part. No row that a report
counts is deleted, so the published figures of past periods stay the same.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.clients import linkage
from werkbrug.clients.models import Client, Consent, normalise_insz
from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import relock
from werkbrug.core.exceptions import DomainError, require_not_future
from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.employers.models import EmployerContact
from werkbrug.exchange.models import Feedback, SectionVersion
from werkbrug.ips.models import DisclosureEntry, IncomePlan, Placement, ReturnToWorkStep
from werkbrug.network.models import Role
from werkbrug.outreach.models import Appointment, Booking
from werkbrug.outreach.path_models import Conversation, OnwardReferral, Path
from werkbrug.privacy.models import ErasureRequest
from werkbrug.referrals.models import OPEN_STATUSES, Referral, ReferralEvent
from werkbrug.teams.identity import REDACTED, redact
from werkbrug.teams.models import ActionItem, AgendaItem, Case
from werkbrug.trajectories.models import (
    Contact,
    Handover,
    Outcome,
    PlanGoal,
    Trajectory,
    TrajectoryEvent,
    TrajectoryStatus,
)
from werkbrug.workcare.models import ELEMENTS, Benefit, BenefitDocument, Milestone, WorkCareAgreement

# The family name an erased client keeps in the database (pages say ERASED_NAME, translated).
ERASED_LAST_NAME = "Gewist"


def require_officer(actor: Actor) -> None:
    if not actor.has_role(Role.PRIVACY_OFFICER):
        raise DomainError(_("Only a privacy officer can erase a client's data."))


def client_for_erasure(actor: Actor, pk: object) -> Client:
    """The client the privacy officer acts on, or 404 (for anyone else too). The privacy officer
    reaches every client of the network by number, but only these pages show anything of them."""
    if not actor.has_role(Role.PRIVACY_OFFICER):
        raise Http404
    client = Client.objects.filter(pk=int(str(pk))).first() if str(pk).isdigit() else None
    if client is None:
        raise Http404
    return client


def find_client(actor: Actor, *, insz: str = "", number: int | None = None) -> Client | None:
    """The client with exactly this national register number, or this client number; every search is
    written to the audit trail (what was searched by and whether it found someone, never the number
    searched for)."""
    require_officer(actor)
    digits = normalise_insz(insz)
    if digits:
        found = Client.objects.filter(insz=digits).order_by("pk").first()
        how = "national register number"
    else:
        found = Client.objects.filter(pk=number).first() if number else None
        how = "client number"
    audit.record(
        actor,
        AuditAction.VIEW,
        None,
        object_type="erasure_search",
        client_id=found.pk if found is not None else None,
        summary=f"erasure search by {how}: {'found' if found is not None else 'not found'}",
    )
    return found


@dataclass(frozen=True)
class Summary:
    """What the privacy officer sees to check it is the right person: no name, no number."""

    client_id: int
    initials: str
    birth_year: int
    referrals: int
    trajectories: int
    open_files: int
    organisations: int
    erased_at: datetime.datetime | None


def summarise(client: Client) -> Summary:
    open_trajectories = Trajectory.objects.filter(client=client).exclude(status=TrajectoryStatus.CLOSED)
    open_referrals = Referral.objects.filter(client=client, status__in=OPEN_STATUSES)
    initials = "" if client.erased_at else initials_of(client.first_name, client.last_name)
    return Summary(
        client_id=client.pk,
        initials=initials,
        birth_year=client.birth_date.year,
        referrals=Referral.objects.filter(client=client).count(),
        trajectories=Trajectory.objects.filter(client=client).count(),
        open_files=open_trajectories.count() + open_referrals.count(),
        organisations=client.involvements.values("organisation_id").distinct().count(),
        erased_at=client.erased_at,
    )


def initials_of(first_name: str, last_name: str) -> str:
    return " ".join(f"{name.strip()[0].upper()}." for name in (first_name, last_name) if name.strip())


# --- erasure ---------------------------------------------------------------------------------------


@transaction.atomic
def erase_client(actor: Actor | None, client: Client, *, request: ErasureRequest) -> ErasureRequest:
    """Erase the client's identity and every text about them, in one transaction, and record the
    request. `actor` None is the retention rule (manage.py apply_retention), which runs without a
    person; otherwise only a privacy officer may erase."""
    if actor is not None:
        require_officer(actor)
    relock(client)
    if client.erased_at is not None:
        raise DomainError(
            _("This client's data was already erased on %(date)s.")
            % {"date": timezone.localtime(client.erased_at).strftime("%d/%m/%Y")}
        )
    if not request.requested_by.strip():
        raise DomainError(_("Say who asked for the erasure."), field="requested_by")
    if not request.reason.strip():
        raise DomainError(_("Give the reason for the erasure."), field="reason")
    require_not_future(
        request.received_on,
        field="received_on",
        message=_("A request cannot be received in the future."),
    )
    now = timezone.now()
    # The request's own text may name the person: scrubbed with the identity, before that is gone.
    scrub: Callable[[str], str] = functools.partial(redact, client)
    request.requested_by = scrub(request.requested_by.strip())[:200]
    request.reason = scrub(request.reason.strip())
    files = _erase_file_texts(client)
    _scrub_audit_trail(client, scrub)
    _erase_identity(client, now)
    request.client_ref = client.pk
    request.recorded_by = actor.user if actor is not None else None
    request.recorded_by_organisation = actor.organisation if actor is not None else None
    request.erased_at = now
    request.save()
    summary = f"client data erased (erasure request {request.pk}"
    summary += ", retention period)" if actor is None else ")"
    AuditEvent.objects.create(
        user=actor.user if actor is not None else None,
        organisation=actor.organisation if actor is not None else None,
        client_id=client.pk,
        action=AuditAction.DELETE,
        object_type="client",
        object_id=client.pk,
        summary=summary,
        via_api=actor.via_api if actor is not None else False,
    )
    # The signed forms leave the disk once the erasure is committed: a rolled-back erasure keeps them.
    storage = Consent._meta.get_field("evidence_file").storage  # type: ignore[union-attr]
    for name in files:
        transaction.on_commit(functools.partial(storage.delete, name))
    return request


def _erase_identity(client: Client, now: datetime.datetime) -> None:
    """Identity and contact data go; gender, birth year, sub-region, benefit status and GGZ contact
    stay (the reports and the research export count them; no report uses the exact birth date)."""
    client.first_name = ""
    client.last_name = ERASED_LAST_NAME
    client.birth_date = datetime.date(client.birth_date.year, 1, 1)
    client.insz = ""
    client.phone = ""
    client.email = ""
    client.address = ""
    client.municipality = ""
    client.erased_at = now
    # A key of its own, and the records without an INSZ that were linked to this one link again.
    previous = linkage.assign(client)
    client.save()
    linkage.relink(previous, client)


def _erase_file_texts(client: Client) -> list[str]:
    """Blank every free text about the person in every area; the rows, their dates, kinds and
    statuses stay. Returns the names of the signed consent forms to delete from storage."""
    consents = Consent.objects.filter(client=client)
    files = list(consents.exclude(evidence_file="").values_list("evidence_file", flat=True))
    consents.update(evidence_note="", evidence_file="")
    Referral.objects.filter(client=client).update(question="", decision_note="")
    ReferralEvent.objects.filter(referral__client=client).update(note="")
    Trajectory.objects.filter(client=client).update(close_note="", pause_reason="")
    TrajectoryEvent.objects.filter(trajectory__client=client).update(detail="")
    Contact.objects.filter(trajectory__client=client).update(note="")
    PlanGoal.objects.filter(trajectory__client=client).update(goal="")
    Outcome.objects.filter(trajectory__client=client).update(note="")
    Handover.objects.filter(trajectory__client=client).update(note="", decision_note="")
    SectionVersion.objects.filter(client=client).update(text="")
    Feedback.objects.filter(client=client).update(discussed="", steps="", support_needed="")
    Case.objects.filter(client=client).update(question="")
    AgendaItem.objects.filter(case__client=client).update(title="", minutes="", next_steps="")
    ActionItem.objects.filter(Q(case__client=client) | Q(item__case__client=client)).update(description="")
    # The practice areas (issue 15, 16): what was said to employers, jobs, plans, appointments.
    EmployerContact.objects.filter(trajectory__client=client).update(note="")
    Placement.objects.filter(trajectory__client=client).update(end_note="")
    IncomePlan.objects.filter(trajectory__client=client).update(
        benefit_today="", expected_income="", hours_limits="", forms_to_file="", note=""
    )
    DisclosureEntry.objects.filter(trajectory__client=client).update(what_to_tell="")
    ReturnToWorkStep.objects.filter(case__trajectory__client=client).update(note="")
    appointments = Appointment.objects.filter(client=client)
    Booking.objects.filter(appointment__in=appointments).update(
        first_name="", phone="", email="", contact_key=""
    )
    appointments.update(first_name="", phone="", email="")
    paths = Path.objects.filter(client=client)
    paths.update(first_name="", decision_note="", waiting_for="")
    Conversation.objects.filter(path__in=paths).update(note="")
    OnwardReferral.objects.filter(path__in=paths).update(note="")
    agreements = WorkCareAgreement.objects.filter(trajectory__client=client)
    files += list(agreements.exclude(signed_document="").values_list("signed_document", flat=True))
    agreements.update(**{field: "" for field, _label in ELEMENTS}, signed_document="")
    Milestone.objects.filter(agreement__in=agreements).update(note="")
    Benefit.objects.filter(trajectory__client=client).update(note="")
    BenefitDocument.objects.filter(trajectory__client=client).update(note="")
    return files


def _scrub_audit_trail(client: Client, scrub: Callable[[str], str]) -> None:
    """Audit summaries are written by the code and name no one, but one that embeds an identifying
    string loses it; the row itself stays. The client's own rows lose any of them (a name alone too),
    other rows the strings that name this person beyond doubt (the full name, INSZ, e-mail, phone,
    address), so that another person called Jan keeps his trail."""
    own, strong = Q(), Q()
    for value in identifying_strings(client):
        own |= Q(summary__icontains=value)
    for value in strong_strings(client):
        strong |= Q(summary__icontains=value)
    rows = AuditEvent.objects.filter(Q(client_id=client.pk) & own) if own else AuditEvent.objects.none()
    if strong:
        rows = rows | AuditEvent.objects.filter(strong)
    patterns = [re.compile(re.escape(value), re.IGNORECASE) for value in strong_strings(client)]
    for event in rows.only("pk", "client_id", "summary").iterator():
        cleaned = event.summary
        for pattern in patterns:
            cleaned = pattern.sub(REDACTED, cleaned)
        if event.client_id == client.pk:
            cleaned = scrub(cleaned)
        if cleaned != event.summary:
            AuditEvent.objects.filter(pk=event.pk).update(summary=cleaned[:300])


def identifying_strings(client: Client) -> list[str]:
    """The strings that give the person away (names from three letters on, as teams.identity does;
    a shorter name alone is too often an ordinary word)."""
    values = [client.last_name, client.first_name, *strong_strings(client)]
    return [v.strip() for v in values if v and len(v.strip()) >= 3]


def strong_strings(client: Client) -> list[str]:
    """The strings that name this person and no one else."""
    first, last = client.first_name.strip(), client.last_name.strip()
    names = [f"{first} {last}", f"{last} {first}"] if first and last else []
    values = [*names, client.insz, client.email, client.phone, client.address]
    return [v.strip() for v in values if v and len(v.strip()) >= 5]
