"""A researcher with a data-access agreement, for the walkers of every role's pages
(core/tests/role_pages.py) and the funder's and researcher's access tests."""

from __future__ import annotations

import datetime

from werkbrug.network.models import Membership, Role, User
from werkbrug.reports.agreements import record_agreement
from werkbrug.reports.models import DataAccessAgreement
from werkbrug.testing import Network, actor_for, make_user


def researcher_with_agreement(net: Network, today: datetime.date) -> tuple[User, DataAccessAgreement]:
    """A researcher at the network organisation, under an agreement recorded by the network admin:
    approved today, valid for a year, covering last year and this one (so the export and the
    research page are theirs)."""
    researcher = make_user("researcher", net.network_org, Role.RESEARCHER)
    agreement = record_agreement(
        actor_for(net.admin),
        researcher=Membership.objects.get(user=researcher),
        project="Evaluatie",
        purpose="Onderzoek naar betaald werk.",
        from_year=today.year - 1,
        to_year=today.year,
        approved_on=today,
        expires_on=today + datetime.timedelta(days=365),
    )
    return researcher, agreement
