"""The outreach area's chooser: a site of the actor's organisation (a project's sites)."""

from django.utils.translation import gettext_lazy as _

from werkbrug.core.choosers import Chooser, register
from werkbrug.network.models import Role
from werkbrug.outreach.access import visible_sites

register(
    Chooser(
        name="outreach_sites",
        queryset=visible_sites,
        search=("name", "address"),
        noun=_("care site"),
        order=("name", "pk"),
        roles=frozenset({Role.COACH, Role.COORDINATOR}),
    )
)
