"""Writes of the care ↔ work exchange: atomic, validated, audited (DESIGN §4.1)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum
from typing import Literal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.clients.access import can_see_client, readable_sections
from werkbrug.clients.models import FILE_PURPOSES, Client, Consent, ConsentPurpose, Involvement
from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import moment, who
from werkbrug.core.exceptions import DomainError
from werkbrug.core.models import AuditAction
from werkbrug.exchange import tasks
from werkbrug.exchange.models import MAX_FEEDBACK_TEXT, MAX_SECTION_TEXT, Feedback, SectionVersion
from werkbrug.jobs.runner import enqueue_on_commit
from werkbrug.network.models import Organisation, User
from werkbrug.referrals.models import Referral
from werkbrug.trajectories.actions import is_lead
from werkbrug.trajectories.models import PartnerRole, Trajectory, TrajectoryPartner

# --- profiles -------------------------------------------------------------------------------------


def section_text(text: str) -> str:
    """A section's text as it is stored: one kind of line break, no surrounding white space."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


class Unchecked(Enum):
    """A save that names no version it was based on (an older page): it is not checked."""

    UNCHECKED = "unchecked"


UNCHECKED = Unchecked.UNCHECKED
# What a save was based on: the id of the section's latest version when the writer opened it, None
# when the section had no version yet, or UNCHECKED.
BasedOn = int | None | Literal[Unchecked.UNCHECKED]


def _latest_locked(client: Client, section: str) -> SectionVersion | None:
    """The section's latest version, read after taking the lock that serializes saves of it
    (docs/conventions.md, "Two people at once"): the latest version's row, or the client's row while
    the section has no version yet, so two first saves wait for each other too. The latest version
    is read again after the lock: on PostgreSQL a `FOR UPDATE … LIMIT 1` that waited returns the row
    it locked, not a version another save added meanwhile, while the next statement sees it."""
    versions = SectionVersion.objects.filter(client=client, section=section).order_by("-pk")
    if versions.select_for_update().first() is None:
        list(Client.objects.select_for_update().filter(pk=client.pk).values_list("pk", flat=True))
    return versions.select_related("author", "organisation").first()


def section_changed(latest: SectionVersion | None) -> str:
    """The refusal of a save based on an older version: who saved the newer one and when."""
    if latest is None:
        return _("Someone else changed this in the meantime. Reload the page and try again.")
    return _(
        "%(who)s (%(organisation)s) saved a newer version of this section at %(when)s, after you "
        "opened it. Your text was not saved: compare it with theirs and save again."
    ) % {"who": who(latest.author), "organisation": latest.organisation, "when": moment(latest.created_at)}


@transaction.atomic
def save_section(
    actor: Actor, client: Client, section: str, text: str, *, based_on: BasedOn = UNCHECKED
) -> SectionVersion:
    """Save a profile section as a new version; older versions stay. Whoever may read a section may
    add a version to it (clients.access.readable_sections): a work partner only to a section the
    client shares with its organisation, never to a care-only one. Saving the text of the current
    version again writes nothing and returns that version.

    `based_on` is the version the writer's page was opened on (its id, None when the section had
    none yet): a save after someone else saved a newer version is refused (DomainError naming who
    and when) and writes nothing. UNCHECKED (an older page) saves on whatever is current."""
    if section not in readable_sections(actor, client.pk):
        raise DomainError(_("You may not write this section of the profile."))
    text = section_text(text)
    if not text:
        raise DomainError(_("Write something in this section."), field="text")
    if len(text) > MAX_SECTION_TEXT:
        raise DomainError(
            _("A section holds at most %(max)d characters; this text has %(count)d.")
            % {"max": MAX_SECTION_TEXT, "count": len(text)},
            field="text",
        )
    if "\x00" in text:
        raise DomainError(_("This text contains characters that cannot be stored."), field="text")
    current = _latest_locked(client, section)
    if current is not None and current.text == text:
        return current
    if based_on is not UNCHECKED and based_on != (current.pk if current else None):
        raise DomainError(section_changed(current))
    version = SectionVersion.objects.create(
        client=client, section=section, text=text, author=actor.user, organisation=actor.org
    )
    audit.record(
        actor, AuditAction.CREATE, version, client_id=client.pk, summary=f"profile section {section}"
    )
    return version


# --- feedback -------------------------------------------------------------------------------------
# Terugkoppeling (BRIEF §3C, §5): the lead coach tells the referring care professional what was
# discussed, which steps were taken and what support is still needed — only with the client's consent
# to feedback for that organisation.

logger = logging.getLogger(__name__)


class NoFeedbackConsent(DomainError):
    """The client has not (or no longer) consented to feedback to the referring organisation."""


@dataclass(frozen=True)
class FeedbackTarget:
    referral: Referral | None  # None: the care partner named on a trajectory without a referral
    organisation: Organisation
    user: User | None


def feedback_text(text: str) -> str:
    """A feedback field as it is stored: one kind of line break, no surrounding white space."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _file_open_to(client_id: int, organisation: Organisation) -> bool:
    """Whether the organisation may open the client file (the rule of clients.access.scope, asked for
    another organisation than the actor's): feedback it cannot open would sit unread."""
    return (
        Involvement.objects.filter(client_id=client_id, organisation=organisation).exists()
        and Consent.objects.active()
        .filter(client_id=client_id, recipient=organisation, purpose__in=FILE_PURPOSES)
        .exists()
    )


def feedback_target(trajectory: Trajectory) -> FeedbackTarget:
    """Who receives feedback on this trajectory: the organisation and the professional who referred
    the client. Raises DomainError when there is none, and NoFeedbackConsent when the client has not
    consented to feedback to that organisation (BRIEF §5: without consent nothing is passed on)."""
    referral = trajectory.referral
    user = referral.referred_by if referral is not None else None
    if referral is None:
        # A trajectory without a referral (an outreach path's): the care partner in the background
        # that the coach named, under the same consent rules.
        partner = (
            TrajectoryPartner.objects.filter(trajectory=trajectory, role=PartnerRole.CARE_BACKGROUND)
            .select_related("organisation", "contact_person")
            .order_by("pk")
            .first()
        )
        if partner is None:
            raise DomainError(_("There is no referrer to give feedback to."))
        organisation, user = partner.organisation, partner.contact_person
    elif referral.referring_organisation_id == trajectory.lead_organisation_id:
        raise DomainError(_("There is no referrer to give feedback to."))
    else:
        organisation = referral.referring_organisation
    consented = (
        Consent.objects.active()
        .filter(client_id=trajectory.client_id, purpose=ConsentPurpose.FEEDBACK, recipient=organisation)
        .exists()
    )
    if not consented:
        raise NoFeedbackConsent(
            _(
                "The client has not consented to feedback to %(org)s, so nothing can be passed on. "
                "If the client agrees, record the consent for feedback to %(org)s on the client's "
                "consent page first."
            )
            % {"org": organisation}
        )
    if not _file_open_to(trajectory.client_id, organisation):
        raise DomainError(
            _("The client file is no longer shared with %(org)s, so it could not read the feedback.")
            % {"org": organisation}
        )
    return FeedbackTarget(referral=referral, organisation=organisation, user=user)


def _notify_recipient(feedback: Feedback) -> None:
    """E-mail the referring professional that there is feedback: a background job queued after the
    commit (exchange.tasks.feedback_notice), so a failed write sends nothing."""
    user = feedback.recipient
    if user is None or not user.is_active or not user.email:
        return
    enqueue_on_commit(tasks.feedback_notice, feedback.pk)


@transaction.atomic
def send_feedback(
    actor: Actor, trajectory: Trajectory, *, discussed: str, steps: str = "", support_needed: str = ""
) -> Feedback:
    """The lead sends structured feedback to the referring care professional, with consent only."""
    if not is_lead(actor, trajectory):
        raise DomainError(_("Only the coach or coordinator of the lead organisation can send feedback."))
    target = feedback_target(trajectory)
    texts = {
        "discussed": feedback_text(discussed),
        "steps": feedback_text(steps),
        "support_needed": feedback_text(support_needed),
    }
    if not texts["discussed"]:
        raise DomainError(_("Write what was discussed."), field="discussed")
    for field, text in texts.items():
        if len(text) > MAX_FEEDBACK_TEXT:
            raise DomainError(
                _("At most %(max)d characters; this text has %(count)d.")
                % {"max": MAX_FEEDBACK_TEXT, "count": len(text)},
                field=field,
            )
        if "\x00" in text:
            raise DomainError(_("This text contains characters that cannot be stored."), field=field)
    feedback = Feedback.objects.create(
        client_id=trajectory.client_id,
        trajectory=trajectory,
        referral=target.referral,
        sender=actor.user,
        sender_organisation=actor.org,
        recipient_organisation=target.organisation,
        recipient=target.user,
        **texts,
    )
    audit.record(
        actor,
        AuditAction.CREATE,
        feedback,
        client_id=trajectory.client_id,
        summary=f"feedback → {target.organisation}",
    )
    _notify_recipient(feedback)
    return feedback


@transaction.atomic
def mark_feedback_read(actor: Actor, feedback: Feedback) -> Feedback:
    """The receiving organisation has read the feedback. Reading it again changes nothing."""
    if (
        actor.organisation is None
        or actor.organisation.pk != feedback.recipient_organisation_id
        or not can_see_client(actor, feedback.client_id)
    ):
        raise DomainError(_("Only the receiving organisation can mark feedback as read."))
    if feedback.read_at is not None:
        return feedback
    now = timezone.now()
    # Conditional: when two colleagues open it at once, the first reader stays on record.
    if Feedback.objects.filter(pk=feedback.pk, read_at__isnull=True).update(read_at=now, read_by=actor.user):
        feedback.read_at, feedback.read_by = now, actor.user
        audit.record(
            actor, AuditAction.UPDATE, feedback, client_id=feedback.client_id, summary="feedback read"
        )
    else:
        feedback.refresh_from_db(fields=["read_at", "read_by"])
    return feedback
