"""Who is acting: a user through one membership (organisation + role), from a page or the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from werkbrug.network.models import CLIENT_ROLES, Membership, Organisation, Role, User


@dataclass(frozen=True)
class Actor:
    user: User
    membership: Membership | None
    via_api: bool = False

    @classmethod
    def from_request(cls, request: HttpRequest) -> Actor:
        cached = getattr(request, "_actor", None)
        if cached is not None:
            return cached
        getter = getattr(request, "get_membership", None)
        membership = getter() if getter is not None else None
        actor = cls(user=request.user, membership=membership)  # type: ignore[arg-type]
        request._actor = actor  # type: ignore[attr-defined]
        return actor

    @property
    def organisation(self) -> Organisation | None:
        return self.membership.organisation if self.membership else None

    @property
    def org(self) -> Organisation:
        """The acting organisation, for writes; acting without one is refused."""
        if self.membership is None:
            from werkbrug.core.exceptions import DomainError

            raise DomainError("You are not acting for an organisation.")
        return self.membership.organisation

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    @property
    def sees_clients(self) -> bool:
        return self.membership is not None and self.membership.sees_clients

    @property
    def in_care_organisation(self) -> bool:
        return self.organisation is not None and self.organisation.is_care

    def has_role(self, *roles: Role | str) -> bool:
        return self.membership is not None and self.membership.role in roles


__all__ = ["CLIENT_ROLES", "Actor"]
