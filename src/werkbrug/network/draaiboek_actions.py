"""Writing the draaiboek's indications and triage rules (network.indications): editing makes a
draft (at most one, a copy of the published version); publishing gives the draft the next number,
and from then on new referrals use it. Only a network admin writes here."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.concurrency import moment, relock, who
from werkbrug.core.exceptions import DomainError, InvalidTransition
from werkbrug.core.models import AuditAction, AuditEvent
from werkbrug.network.indications import first_draaiboek, item_of, published, write_items
from werkbrug.network.models import DraaiboekStatus, DraaiboekVersion, Indication, IndicationGroup, Role

MAX_LABEL = 300
MAX_NOTE = 2000


def _require_admin(actor: Actor) -> None:
    if not actor.has_role(Role.NETWORK_ADMIN):
        raise DomainError(_("Only a network admin can change the draaiboek."))


def current_draft() -> DraaiboekVersion | None:
    return DraaiboekVersion.objects.filter(status=DraaiboekStatus.DRAFT).order_by("pk").first()


def current_row(code: str) -> Indication | None:
    """The row an edit of `code` changes now: the draft's, else the published version's."""
    draft = current_draft()
    if draft is not None:
        return draft.indications.filter(code=code).first()
    book = published()
    if book.version is None:
        return None
    return book.version.indications.filter(code=code).first()


@transaction.atomic
def open_draft(actor: Actor) -> DraaiboekVersion:
    """The draft, made as a copy of the published version when there is none. The published
    version is locked first, so two admins editing at once make one draft, not two."""
    _require_admin(actor)
    book = published()
    if book.version is not None:
        relock(book.version)
    draft = current_draft()
    if draft is not None:
        return draft
    draft = DraaiboekVersion.objects.create(created_by=actor.user)
    write_items((book if book.version is not None else first_draaiboek()).items, draft)
    audit.record(actor, AuditAction.CREATE, draft, client_id=None, summary="draft")
    return draft


def _check(label: str, group: str) -> str:
    label = " ".join(label.split())
    if not label:
        raise DomainError(_("Write the indication's wording."), field="label")
    if len(label) > MAX_LABEL:
        raise DomainError(_("At most %(n)s characters.") % {"n": MAX_LABEL}, field="label")
    if group not in IndicationGroup.values:
        raise DomainError(_("Choose a group."), field="group")
    return label


@transaction.atomic
def edit_indication(actor: Actor, code: str, *, label: str, group: str, to_case_team: bool) -> Indication:
    """Change an indication's wording, group or triage rule in the draft (made when needed)."""
    draft = open_draft(actor)
    row = draft.indications.select_for_update().filter(code=code).first()
    if row is None:
        raise DomainError(_("This indication is not in the draaiboek."))
    label = _check(label, group)
    if label != item_of(row).wording:
        row.label = label  # left as shown (version 1's text in the reader's language), it stays as stored
    row.group, row.to_case_team = group, to_case_team
    row.save()
    audit.record(actor, AuditAction.UPDATE, row, client_id=None, summary=code)
    return row


@transaction.atomic
def add_indication(actor: Actor, *, code: str, label: str, group: str, to_case_team: bool) -> Indication:
    draft = open_draft(actor)
    label = _check(label, group)
    code = code.strip().lower()
    if draft.indications.filter(code=code).exists():
        raise DomainError(_("The draaiboek already has an indication with this code."), field="code")
    last = draft.indications.aggregate(last=Max("position"))["last"]
    row = Indication.objects.create(
        version=draft,
        code=code,
        label=label,
        group=group,
        to_case_team=to_case_team,
        position=(last or 0) + 1,
    )
    audit.record(actor, AuditAction.CREATE, row, client_id=None, summary=code)
    return row


def removed_by(code: str) -> str:
    """The refusal for an indication that is no longer in the draaiboek an edit changes now: who took
    it out of the draft and when, if the audit trail says so."""
    event = (
        AuditEvent.objects.filter(action=AuditAction.DELETE, object_type="indication", summary=code)
        .select_related("user")
        .order_by("-at", "-pk")
        .first()
    )
    if event is None:
        return _("This indication is not in the draaiboek.")
    return _("%(who)s removed this indication from the draft at %(when)s.") % {
        "who": who(event.user),
        "when": moment(event.at),
    }


def _check_opened(opened: DraaiboekVersion, *, on_draft: bool) -> None:
    """A removal decided on version `opened` (the draft, or the published version when there was no
    draft) is refused when that is no longer the version an edit starts from: the draft was published
    in the meantime, or a newer version was."""
    relock(opened)
    if on_draft and opened.status == DraaiboekStatus.DRAFT:
        return
    if on_draft:
        message = _(
            "%(who)s published the draft as version %(number)s at %(when)s, after you opened this page. "
            "Check that version, then remove the indication again if it still has to go."
        )
        latest = opened
    else:
        latest = published().version or opened
        if latest.pk == opened.pk:
            return
        message = _(
            "%(who)s published version %(number)s at %(when)s, after you opened this page. "
            "Check that version, then remove the indication again if it still has to go."
        )
    raise InvalidTransition(
        message
        % {
            "who": who(latest.published_by),
            "number": latest.number,
            "when": moment(latest.published_at or latest.created_at),
        }
    )


@transaction.atomic
def remove_indication(
    actor: Actor, code: str, *, opened: DraaiboekVersion, on_draft: bool = False
) -> DraaiboekVersion:
    """Take an indication out of the draft (made when needed); publishing the draft makes the version
    without it. Earlier versions keep it, and so do the referrals triaged under them. `opened` is the
    version the page showed (`on_draft`: it was the draft): the draaiboek rows are locked and a removal
    decided on a version that was published over since is refused."""
    _require_admin(actor)
    _check_opened(opened, on_draft=on_draft)
    draft = open_draft(actor)
    relock(draft)
    row = draft.indications.select_for_update().filter(code=code).first()
    if row is None:
        raise InvalidTransition(removed_by(code))
    if not draft.indications.exclude(pk=row.pk).exists():
        raise DomainError(_("The draaiboek keeps at least one indication."))
    audit.record(actor, AuditAction.DELETE, row, client_id=None, summary=code)
    row.delete()
    return draft


@transaction.atomic
def publish_draaiboek(actor: Actor, version: DraaiboekVersion, *, note: str) -> DraaiboekVersion:
    """The draft becomes the next version; new referrals use it from now on. A second publish of
    the same draft (a double submit, a second admin) is refused, naming who published it."""
    _require_admin(actor)
    relock(version)
    if version.status != DraaiboekStatus.DRAFT:
        raise InvalidTransition(
            _("%(who)s already published this as version %(number)s at %(when)s.")
            % {
                "who": who(version.published_by),
                "number": version.number,
                "when": moment(version.published_at or version.created_at),
            }
        )
    note = note.strip()
    if not note:
        raise DomainError(_("Say what changed."), field="note")
    if len(note) > MAX_NOTE:
        raise DomainError(_("At most %(n)s characters.") % {"n": MAX_NOTE}, field="note")
    last = DraaiboekVersion.objects.aggregate(last=Max("number"))["last"] or 0
    version.number = last + 1
    version.status = DraaiboekStatus.PUBLISHED
    version.note = note
    version.published_at = timezone.now()
    version.published_by = actor.user
    version.save()
    audit.record(actor, AuditAction.UPDATE, version, client_id=None, summary="published")
    return version
