"""Domain exceptions raised by models and actions; views turn them into form errors or 4xx."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _


class DomainError(Exception):
    """A rule of the domain forbids this; the message is shown to the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidTransition(DomainError):
    """A state change the state machine does not allow."""


def in_future(day: datetime.date) -> bool:
    """Whether `day` lies after today in the configured time zone: the one meaning of a date "in
    the future" that actions, models and the API refuse."""
    return day > timezone.localdate()


def require_not_future(day: datetime.date | None, *, field: str, message: str | None = None) -> None:
    """Refuse a date after today with a DomainError on `field`; no date (None) passes. `message`
    (already translated) replaces the general "This date lies in the future." where a place names
    what cannot lie ahead."""
    if day is not None and in_future(day):
        raise DomainError(message or _("This date lies in the future."), field=field)
