"""The demo network: a fictional SaRA-like network in the Antwerp region (seed 000) — its
organisations, the one login per role (all with `DEMO_PASSWORD`), the two referral lines — and the
table of logins that `load_demo` prints.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from werkbrug.accounts.actions import new_secret
from werkbrug.accounts.twofactor import REQUIRED_ROLES
from werkbrug.clients.models import Client
from werkbrug.core.actor import Actor
from werkbrug.network.defaults import ensure_default_types
from werkbrug.network.indications import ensure_first_draaiboek
from werkbrug.network.models import (
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationType,
    ReferralLine,
    Role,
    SubRegion,
    TrajectoryType,
    User,
)

# One well-known password for every demo login. The demo is for laptops and trainings, never for
# a server that holds real data.
DEMO_PASSWORD = "werkbrug-demo-2026"  # noqa: S105 - public on purpose: demo data only
DEMO_URL = "http://127.0.0.1:8000"
# The login whose presence says the demo is loaded.
MARKER_USERNAME = "coach.sara1"

NETWORK_NAME = "Netwerk SaRA (demo)"

ORGS = {
    # key: (name, kind, type, sub-region)
    "pz": ("PZ Scheldeborg", OrganisationKind.CARE, OrganisationType.PZ, "Antwerpen-Zuid"),
    "cgg": ("CGG Vlietland", OrganisationKind.CARE, OrganisationType.CGG, "Antwerpen-Stad"),
    "ibw": ("IBW De Brug", OrganisationKind.CARE, OrganisationType.IBW, "Antwerpen-Noord (Kapellen)"),
    "sara": ("SaRA Arbeidscoaching", OrganisationKind.WORK, OrganisationType.ARBEIDSCOACH, "Antwerpen-Stad"),
    "gtb": ("GTB Antwerpen", OrganisationKind.WORK, OrganisationType.GTB, "Antwerpen-Stad"),
    "gob": ("GOB Werkwinkel", OrganisationKind.WORK, OrganisationType.GOB, "Antwerpen-Oost (Zoersel)"),
    "vdab": ("VDAB Antwerpen", OrganisationKind.WORK, OrganisationType.VDAB, "Antwerpen-Stad"),
    "network": (NETWORK_NAME, OrganisationKind.OTHER, OrganisationType.OTHER, None),
    "funder": ("Departement WEWIS (demo)", OrganisationKind.OTHER, OrganisationType.FUNDER, None),
    "research": (
        "Onderzoeksgroep Werk en Herstel (demo)",
        OrganisationKind.OTHER,
        OrganisationType.OTHER,
        None,
    ),
}

SUBREGIONS = ["Antwerpen-Stad", "Antwerpen-Noord (Kapellen)", "Antwerpen-Oost (Zoersel)", "Antwerpen-Zuid"]

# username, first name, last name, organisation key, role, extra membership fields
USERS: list[tuple[str, str, str, str, Role, dict[str, object]]] = [
    ("zorg.pz", "Lien", "Verhaegen", "pz", Role.CARE_PROFESSIONAL, {}),
    ("zorg.cgg", "Pieter", "Claessens", "cgg", Role.CARE_PROFESSIONAL, {}),
    ("zorg.ibw", "Nadia", "El Amrani", "ibw", Role.CARE_PROFESSIONAL, {}),
    ("screener.sara", "Karen", "Wouters", "sara", Role.SCREENER, {}),
    ("screener.gtb", "Koen", "Desmet", "gtb", Role.SCREENER, {}),
    ("coach.sara1", "Sofie", "Jacobs", "sara", Role.COACH, {"capacity": 20, "fte": "0.50"}),
    ("coach.sara2", "Tom", "Vandenberghe", "sara", Role.COACH, {"capacity": 18, "fte": "0.50"}),
    ("coach.gtb", "Ilse", "Maes", "gtb", Role.COACH, {"capacity": 40, "fte": "1.00"}),
    ("coordinator.sara", "Marc", "Vermeiren", "sara", Role.COORDINATOR, {}),
    ("admin", "Els", "Mertens", "network", Role.NETWORK_ADMIN, {}),
    ("funder", "Jan", "Willaert", "funder", Role.FUNDER, {}),
    ("privacy", "Hilde", "Claes", "network", Role.PRIVACY_OFFICER, {}),
    ("onderzoeker", "Ruth", "Van Damme", "research", Role.RESEARCHER, {}),
]

SARA_INDICATIONS = [
    "low_threshold",
    "intensive_vulnerability",
    "psychiatric_expertise",
    "work_attitudes",
    "whole_trajectory",
    "shared_focus",
]
GTB_INDICATIONS = ["vulnerability_background", "disability_expertise", "intensive_work"]

# key: (name, organisation key, description, indications, default trajectory type, screener)
LINES: dict[str, tuple[str, str, str, list[str], str, str]] = {
    "sara": (
        "SaRA arbeidscoach",
        "sara",
        "Intensief, laagdrempelig voortraject op maat voor wie de psychische kwetsbaarheid "
        "op de voorgrond staat.",
        SARA_INDICATIONS,
        "arbeidscoach",
        "screener.sara",
    ),
    "gtb": (
        "GTB trajectbegeleiding",
        "gtb",
        "Regulier traject: de kwetsbaarheid staat niet op de voorgrond.",
        GTB_INDICATIONS,
        "gtb",
        "screener.gtb",
    ),
}


@dataclass
class Login:
    username: str
    role: str
    organisation: str
    user: User


@dataclass
class DemoNetwork:
    """What `load_demo` reports: the logins and the clients it registered."""

    logins: list[Login] = field(default_factory=list)
    clients: list[Client] = field(default_factory=list)


@dataclass
class Network:
    """The rows the stories work with, by key (organisations) and username (users, actors)."""

    regions: dict[str, SubRegion]
    orgs: dict[str, Organisation]
    users: dict[str, User]
    actors: dict[str, Actor]
    lines: dict[str, ReferralLine]
    types: dict[str, TrajectoryType]
    logins: list[Login]


def ensure_trajectory_types() -> None:
    """The trajectory types come from a data migration; `flush` removes them, so put them back."""
    ensure_default_types(TrajectoryType)
    ensure_first_draaiboek()  # version 1 of the draaiboek, from a data migration too


def is_loaded() -> bool:
    return User.objects.filter(username=MARKER_USERNAME).exists()


def create_network() -> Network:
    regions = {name: SubRegion.objects.get_or_create(name=name)[0] for name in SUBREGIONS}
    orgs = {
        key: Organisation.objects.create(
            name=name, kind=kind, org_type=org_type, subregion=regions.get(region or "")
        )
        for key, (name, kind, org_type, region) in ORGS.items()
    }
    users: dict[str, User] = {}
    actors: dict[str, Actor] = {}
    logins: list[Login] = []
    for username, first, last, org_key, role, extra in USERS:
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.werkbrug.invalid",
        )
        membership = Membership.objects.create(user=user, organisation=orgs[org_key], role=role, **extra)
        if role in REQUIRED_ROLES:
            give_second_factor(user)
        users[username] = user
        actors[username] = Actor(user=user, membership=membership)
        logins.append(Login(username, str(role.label), orgs[org_key].name, user))
    lines = {
        key: ReferralLine.objects.create(
            name=name,
            organisation=orgs[org_key],
            description=description,
            indications=indications,
            default_trajectory_type=default_type,
        )
        for key, (name, org_key, description, indications, default_type, _screener) in LINES.items()
    }
    for key, line in lines.items():
        line.screeners.add(users[LINES[key][5]])
    types = {t.code: t for t in TrajectoryType.objects.all()}
    return Network(regions, orgs, users, actors, lines, types, logins)


def demo_logins() -> list[Login]:
    """The demo's logins as stored (for printing them again when the demo is already loaded)."""
    logins = []
    for username, *_rest in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        membership = Membership.objects.filter(user=user).select_related("organisation").first()
        if membership is None:
            continue
        logins.append(Login(username, str(Role(membership.role).label), membership.organisation.name, user))
    return logins


def give_second_factor(user: User) -> None:
    """An authenticator and ten recovery codes, as if the person had set them up: the roles that must
    log in with two steps (accounts.twofactor) can then log in to the demo."""
    TOTPDevice.objects.create(user=user, name="authenticator", key=new_secret(), confirmed=True)
    recovery = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    StaticToken.objects.bulk_create(
        [StaticToken(device=recovery, token=StaticToken.random_token()) for _i in range(10)]
    )


def second_factor(user: User) -> tuple[str, list[str]]:
    """The user's authenticator secret in base32 (what an app or `oathtool --totp -b` takes) and two
    unused recovery codes; empty when the user has none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return "", []
    secret = base64.b32encode(binascii.unhexlify(device.key)).decode()
    codes = list(
        StaticToken.objects.filter(device__user=user).order_by("pk").values_list("token", flat=True)[:2]
    )
    return secret, codes


def logins_table(logins: list[Login]) -> str:
    header = ("username", "role", "organisation", "password", "2FA secret (base32)", "recovery codes")
    rows = [header]
    for login in logins:
        secret, codes = second_factor(login.user)
        rows.append(
            (login.username, str(login.role), login.organisation, DEMO_PASSWORD, secret, " ".join(codes))
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    out = [line]
    for index, row in enumerate(rows):
        out.append("| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |")
        if index == 0:
            out.append(line)
    out.append(line)
    return "\n".join(out)
