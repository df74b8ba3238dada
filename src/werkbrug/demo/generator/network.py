"""The generated network: organisations, users with their memberships (coaches until the capacity
covers the open trajectories) and a referral line per work organisation — few rows, written
through the ORM."""

from __future__ import annotations

import bisect
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.db.models import Max

from werkbrug.demo.generator.config import (
    FIRST_NAMES,
    GENERATED_PASSWORD,
    LAST_NAMES,
    LINE_INDICATIONS,
    OCCUPANCY,
    OPEN_SHARE,
    ORG_MIX,
    SUBREGIONS,
    TRAJECTORY_TYPE,
    WORK_WEIGHT,
    Scale,
    T,
)
from werkbrug.network.models import (
    Membership,
    Organisation,
    OrganisationKind,
    ReferralLine,
    Role,
    SubRegion,
    TrajectoryType,
    User,
)

X = TypeVar("X")


def cumulative(weights: Sequence[float]) -> list[float]:
    """Running totals of `weights`, for `pick()`."""
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def pick(items: Sequence[X], cumulative_weights: list[float], rng: random.Random) -> X:
    """One of `items`, drawn by weight (`cumulative_weights` from `cumulative()`)."""
    return items[bisect.bisect(cumulative_weights, rng.random() * cumulative_weights[-1])]


@dataclass
class Org:
    pk: int
    kind: str
    org_type: str
    subregion_id: int | None
    weight: float
    line_id: int = 0  # set once the lines exist
    type_id: int = 0
    coaches: list[int] = field(default_factory=list)
    coach_weights: list[float] = field(default_factory=list)
    screeners: list[int] = field(default_factory=list)
    client_users: list[int] = field(default_factory=list)


class NetworkBuilder:
    def __init__(self, scale: Scale, rng: random.Random) -> None:
        self.scale = scale
        self.rng = rng

    def build(self) -> dict[str, Any]:
        rng, scale = self.rng, self.scale
        factor = scale.orgs / 1000
        n_sub = max(2, min(len(SUBREGIONS), scale.orgs // 10))
        regions = [SubRegion.objects.get_or_create(name=name)[0] for name in SUBREGIONS[:n_sub]]
        base = (Organisation.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        org_rows: list[Organisation] = []
        for org_type, kind, full, essential in ORG_MIX:
            count = round(full * factor)
            if essential:
                count = max(1, count)
            for _ in range(count):
                region = rng.choice(regions)
                org_rows.append(
                    Organisation(
                        name=f"{org_type} {region.name} {base + len(org_rows)}",
                        kind=kind,
                        org_type=org_type,
                        subregion=region,
                    )
                )
        created = Organisation.objects.bulk_create(org_rows)
        if created[0].pk is None:  # SQLite before RETURNING support: read them back
            created = list(Organisation.objects.filter(name__in=[o.name for o in org_rows]))
        orgs = [Org(o.pk, o.kind, o.org_type, o.subregion_id, rng.lognormvariate(0, 0.6)) for o in created]
        types = {t.code: t for t in TrajectoryType.objects.all()}
        work = [o for o in orgs if o.kind == OrganisationKind.WORK]
        registering = [
            o
            for o in orgs
            if o.kind in (OrganisationKind.CARE, OrganisationKind.INSURER) or o.org_type == T.OCMW
        ]
        for o in work:
            o.weight *= WORK_WEIGHT.get(o.org_type, 0.7)
            code = TRAJECTORY_TYPE[o.org_type]
            if o.org_type == T.IPS and rng.random() < 0.25:
                code = "dcm"
            o.type_id = types[code].pk

        # Coaches until the network's capacity covers the open trajectories at ~90% occupancy.
        open_target = scale.trajectories * OPEN_SHARE
        capacity_of = {t.pk: t.capacity_per_fte for t in types.values()}
        plans: list[tuple[Org, str, dict[str, Any]]] = []  # (org, role, membership extras)
        coach_capacity = 0.0
        work_cum = cumulative([o.weight for o in work])
        coach_orgs = list(work)  # one coach at every work organisation first
        while coach_capacity < open_target / OCCUPANCY or coach_orgs:
            o = coach_orgs.pop() if coach_orgs else pick(work, work_cum, rng)
            fte = rng.choice([1.0] * 15 + [0.8] * 3 + [0.5] * 2)
            capacity = round(capacity_of[o.type_id] * fte)
            coach_capacity += capacity
            plans.append((o, Role.COACH, {"fte": f"{fte:.2f}", "capacity": capacity}))
        for o in work:
            for _ in range(1 if rng.random() < 0.7 else 2):
                plans.append((o, Role.SCREENER, {}))
            plans.append((o, Role.COORDINATOR, {}))
        others = [o for o in orgs if o.org_type == T.OTHER]
        funders = [o for o in orgs if o.org_type == T.FUNDER]
        for i in range(max(1, scale.users // 150)):
            plans.append((others[i % len(others)], Role.NETWORK_ADMIN, {}))
        for i in range(max(1, scale.users // 70)):
            plans.append((funders[i % len(funders)], Role.FUNDER, {}))
        care_budget = max(len(registering), scale.users - len(plans))
        for o in registering:  # at least one at each
            plans.append((o, Role.CARE_PROFESSIONAL, {}))
        reg_cum = cumulative([o.weight for o in registering])
        for _ in range(care_budget - len(registering)):
            o = pick(registering, reg_cum, rng)
            plans.append((o, Role.CARE_PROFESSIONAL, {}))

        password = make_password(GENERATED_PASSWORD)
        first_user = (User.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        users = [
            User(
                username=f"{role.replace('_', '')}{first_user + i}",
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                email=f"{role}{first_user + i}@bench.werkbrug.invalid",
                password=password,
            )
            for i, (_o, role, _e) in enumerate(plans)
        ]
        users = User.objects.bulk_create(users, batch_size=1000)
        if users[0].pk is None:
            by_name = dict(
                User.objects.filter(username__in=[u.username for u in users]).values_list("username", "pk")
            )
            for u in users:
                u.pk = by_name[u.username]
        Membership.objects.bulk_create(
            [
                Membership(user_id=u.pk, organisation_id=o.pk, role=role, **extra)
                for u, (o, role, extra) in zip(users, plans, strict=True)
            ],
            batch_size=1000,
        )
        for u, (o, role, extra) in zip(users, plans, strict=True):
            if role == Role.COACH:
                o.coaches.append(u.pk)
                o.coach_weights.append(float(extra["capacity"]))
                o.client_users.append(u.pk)
            elif role == Role.SCREENER:
                o.screeners.append(u.pk)
                o.client_users.append(u.pk)
            elif role in (Role.COORDINATOR, Role.CARE_PROFESSIONAL):
                o.client_users.append(u.pk)

        lines = ReferralLine.objects.bulk_create(
            [
                ReferralLine(
                    name=f"Lijn {o.org_type} {o.pk}",
                    organisation_id=o.pk,
                    description="Synthetic referral line.",
                    indications=LINE_INDICATIONS.get(o.org_type, ["intensive_work", "whole_trajectory"]),
                    default_trajectory_type=TRAJECTORY_TYPE[o.org_type],
                )
                for o in work
            ]
        )
        if lines[0].pk is None:
            lines = list(ReferralLine.objects.filter(organisation_id__in=[o.pk for o in work]))
        by_org = {line.organisation_id: line.pk for line in lines}
        through = ReferralLine.screeners.through
        links: list[Any] = []
        for o in work:
            o.line_id = by_org[o.pk]
            links.extend(through(referralline_id=o.line_id, user_id=s) for s in o.screeners)
        through.objects.bulk_create(links)
        return {
            "orgs": orgs,
            "work": work,
            "registering": registering,
            "users": len(users),
            "coaches": sum(len(o.coaches) for o in work),
            "types": types,
        }
