"""Test data for the outreach area: a site run by SaRA (the `net` personas' work organisation), with
hours of the SaRA coach on the weekday after a frozen Monday."""

from __future__ import annotations

import datetime
import zoneinfo

from werkbrug.network.models import Role
from werkbrug.outreach import actions, booking_actions
from werkbrug.outreach.models import Hours, Site, SiteKind
from werkbrug.testing import Network, actor_for, make_user

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
# A Monday morning: the hours below are on Tuesdays, 9:00-12:00, slots of 30 minutes.
MONDAY = datetime.datetime(2026, 12, 7, 8, 0, tzinfo=BRUSSELS)
TUESDAY = datetime.date(2026, 12, 8)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BRUSSELS)


def site(net: Network, name: str = "PZ Bethanië, afdeling B", **extra: object) -> Site:
    fields: dict[str, object] = {
        "kind": SiteKind.PSYCHIATRIC_WARD,
        "host": net.hospital,
        "subregion": net.region,
    }
    fields.update(extra)
    return actions.create_site(actor_for(net.coach), name=name, **fields)


def hours(net: Network, where: Site, *, weekday: int = 1, every: int = 1, **extra: object) -> Hours:
    fields: dict[str, object] = {
        "coach": net.coach,
        "weekday": weekday,
        "starts_at": datetime.time(9, 0),
        "ends_at": datetime.time(12, 0),
        "valid_from": MONDAY.date(),
        "every": every,
    }
    fields.update(extra)
    return actions.add_hours(actor_for(net.coach), where, **fields)  # type: ignore[arg-type]


def other_coach(net: Network):
    """A coach of another work organisation (GTB): an outsider to SaRA's sites."""
    return net.gtb_coach


def sara_coach2(net: Network):
    return make_user("coach2", net.sara, Role.COACH)


def booking(
    where: Site,
    h: Hours | None,
    start: datetime.datetime | None,
    name: str = "Mira",
    phone: str = "0470 12 34 56",
):
    return booking_actions.self_book(
        where,
        first_name=name,
        phone=phone,
        email="",
        consent_text="consent",
        language="en",
        hours=h,
        starts_at=start,
    )


def slot_value(h: Hours, start: datetime.datetime) -> str:
    return f"{h.pk}@{start.astimezone(datetime.UTC):%Y%m%dT%H%M}"
