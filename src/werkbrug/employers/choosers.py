"""The employer chooser (core.choosers): forms that name an employer (a placement, a DCM case, a job
development contact) search the network's active employers. Employers are network data, so every
role that fills in forms may search them; a funder gets 404 from the endpoint."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actor import Actor
from werkbrug.core.choosers import Chooser, register
from werkbrug.employers.access import WRITE_ROLES
from werkbrug.employers.models import Employer
from werkbrug.trajectories.choosers import team_trajectory_chooser


def active_employers(actor: Actor | None = None) -> QuerySet[Any]:
    return Employer.objects.filter(is_active=True)


def employer_label(employer: Employer) -> str:
    return f"{employer.name} ({employer.municipality})" if employer.municipality else employer.name


register(
    Chooser(
        name="employers",
        queryset=active_employers,
        search=("name", "enterprise_number", "municipality"),
        noun=_("employer"),
        label=employer_label,
        order=("name", "pk"),
    )
)


# The clients a coach may name to an employer: open trajectories of the actor's team whose client the
# actor may see. The consent for employer contact is checked by the action, with a message that says
# what is missing.
register(team_trajectory_chooser("employer_clients", roles=frozenset(WRITE_ROLES)))
