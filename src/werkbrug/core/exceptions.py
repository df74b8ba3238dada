"""Domain exceptions raised by models and actions; views turn them into form errors or 4xx."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain forbids this; the message is shown to the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidTransition(DomainError):
    """A state change the state machine does not allow."""
