"""Two people at once (docs/conventions.md, "Two people at once").

The one rule: an action that changes a row re-reads that row inside its transaction, locked, and
checks its state rule on the fresh row; a second, conflicting decision is refused with a message that
says who decided first and when. `relock()` is the re-read; `changed_by()` words the refusal.

On PostgreSQL the lock is `SELECT … FOR UPDATE`: a second transaction waits for the first to commit
and then reads its result. SQLite ignores FOR UPDATE, but runs every transaction with
`transaction_mode=IMMEDIATE` (settings.py), so the write lock is taken when the atomic block starts
and the re-read inside it is fresh there too.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any, TypeVar

from django.db.models import Model
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from werkbrug.core.exceptions import InvalidTransition
from werkbrug.core.models import AuditAction, AuditEvent

M = TypeVar("M", bound=Model)


def relock(instance: M) -> M:
    """Re-read `instance` in place from the database, locked until the transaction ends.

    Call it first thing in an `@transaction.atomic` action, before any rule is checked: the view
    loaded the row before the transaction began, and another request may have changed it since.
    Related objects cached on the instance are dropped, so they are read again too.
    """
    instance.refresh_from_db(from_queryset=type(instance)._default_manager.select_for_update())
    return instance


def stamp_once(row: Model, user: Any, *, at: str, by: str, refusal: str) -> None:
    """Mark a relocked `row` done for good (withdrawn, ended …): `at` now and `by` this user, saved.
    A second time is refused with `refusal`, whose %(who)s and %(when)s name the first."""
    when = getattr(row, at)
    if when is not None:
        raise InvalidTransition(refusal % {"who": who(getattr(row, by)), "when": moment(when)})
    setattr(row, at, timezone.now())
    setattr(row, by, user)
    row.save(update_fields=[at, by])


def moment(at: datetime.datetime) -> str:
    """When something happened, as people say it: the time today, else the date and the time."""
    local = timezone.localtime(at)
    if local.date() == timezone.localdate():
        return time_format(local, "H:i")
    return f"{date_format(local.date(), 'SHORT_DATE_FORMAT')} {time_format(local, 'H:i')}"


def who(user: Any) -> str:
    """The name of the person who acted (someone, when the event kept no user)."""
    if user is None:
        return _("someone")
    name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return str(name or user)


def changed_by(message: str, event: Any) -> str:
    """A refusal naming who changed the row first and when: `message` has %(what)s, %(who)s and
    %(when)s; `event` is the row's latest event (with `kind`, `by` and `at`)."""
    if event is None:
        return _("Someone else changed this in the meantime. Reload the page and try again.")
    what = event.get_kind_display() if hasattr(event, "get_kind_display") else str(event.kind)
    return message % {"what": what, "who": who(event.by), "when": moment(event.at)}


def digest(*values: object) -> str:
    """The version of text that people edit: a short hash of the stored values. An edit form carries
    it (hidden `seen`, see core.actionviews) and a save against other values is refused."""
    return hashlib.sha256(json.dumps([str(v) for v in values]).encode()).hexdigest()[:16]


def last_edit(row: Model) -> AuditEvent | None:
    """The row's latest update in the audit trail (who saved it last, when, and the summary)."""
    return (
        AuditEvent.objects.filter(
            action=AuditAction.UPDATE, object_type=row._meta.model_name, object_id=row.pk
        )
        .select_related("user")
        .order_by("-at", "-pk")
        .first()
    )


def edited_by(message: str, row: Model) -> str:
    """A refused edit naming who saved the row last and when: `message` has %(who)s and %(when)s."""
    event = last_edit(row)
    if event is None:
        return _("Someone else changed this in the meantime. Reload the page and try again.")
    return message % {"who": who(event.user), "when": moment(event.at)}
