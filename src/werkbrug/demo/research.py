"""The demo researcher's data-access agreement, recorded by the demo network admin, so that the
researcher's login shows the research export page with a download (docs/reports.md)."""

from __future__ import annotations

import datetime

from werkbrug.demo.network import Network
from werkbrug.network.models import Membership
from werkbrug.reports.agreements import record_agreement
from werkbrug.reports.models import DataAccessAgreement

RESEARCHER = "onderzoeker"


def research_agreement(network: Network, today: datetime.date) -> DataAccessAgreement:
    """Approved a month ago, valid for a year, covering the last three years and this one."""
    return record_agreement(
        network.actors["admin"],
        researcher=Membership.objects.get(user=network.users[RESEARCHER]),
        project="Evaluatie trajecten werk en herstel (demo)",
        purpose="Welke trajecten leiden tot betaald werk, en voor wie? Alleen gepseudonimiseerde gegevens.",
        from_year=today.year - 3,
        to_year=today.year,
        approved_on=today - datetime.timedelta(days=30),
        expires_on=today + datetime.timedelta(days=365),
    )
