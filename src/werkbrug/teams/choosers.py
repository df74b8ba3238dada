"""The choosers of the team forms (core.choosers): the people of the network who may sit in a team
or be invited, and the service that leads after a team's decision. No client data."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actor import Actor
from werkbrug.core.choosers import Chooser, register
from werkbrug.network.choosers import organisation_chooser, work_and_care_organisations
from werkbrug.network.models import Membership, Organisation, User
from werkbrug.teams.actions import TEAM_ROLES


def _team_memberships() -> QuerySet[Membership]:
    return Membership.objects.filter(is_active=True, role__in=TEAM_ROLES, organisation__is_active=True)


def team_people(actor: Actor | None = None) -> QuerySet[Any]:
    """Everyone who may sit in a team or be invited: an active user with an active client role at
    an active organisation; with those organisations prefetched for the label."""
    return User.objects.filter(
        is_active=True, pk__in=_team_memberships().filter(user__is_active=True).values("user_id")
    ).prefetch_related(
        Prefetch(
            "memberships",
            queryset=_team_memberships().select_related("organisation").order_by("organisation__name"),
            to_attr="network_memberships",
        )
    )


def person_label(user: User) -> str:
    """The person with their organisations, as the team pages show them."""
    names: list[str] = []
    for membership in getattr(user, "network_memberships", []):
        if membership.organisation.name not in names:
            names.append(membership.organisation.name)
    return f"{user} ({', '.join(names)})" if names else str(user)


def lead_organisations() -> QuerySet[Organisation]:
    """The services a team's decision can name as the lead: active work or care organisations."""
    return work_and_care_organisations().order_by("name")


register(
    Chooser(
        name="team_people",
        queryset=team_people,
        search=("first_name", "last_name", "username"),
        noun=_("person"),
        label=person_label,
        order=("last_name", "first_name", "pk"),
    )
)
register(organisation_chooser("lead_organisations", lambda actor: lead_organisations()))
