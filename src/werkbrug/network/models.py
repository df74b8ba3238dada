"""The network: organisations, people and their roles, referral lines, sub-regions."""

from __future__ import annotations

import hashlib
import secrets
from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SubRegion(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sub-region")
        verbose_name_plural = _("sub-regions")

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    CARE = "care", _("care partner")
    WORK = "work", _("work partner")
    INSURER = "insurer", _("insurer")
    OTHER = "other", _("other")


class OrganisationType(models.TextChoices):
    # Care partners (BRIEF §2)
    PZ = "PZ", _("psychiatric hospital (PZ)")
    AZ = "AZ", _("general hospital (AZ)")
    PAAZ = "PAAZ", _("psychiatric ward of a general hospital (PAAZ)")
    CGG = "CGG", _("mental-health centre (CGG)")
    IBW = "IBW", _("sheltered housing (IBW/BeWo)")
    CPR = "CPR", _("psychosocial rehabilitation centre (CPR)")
    WGC = "WGC", _("community health centre (WGC)")
    GP = "GP", _("GP practice")
    CAW = "CAW", _("general welfare centre (CAW)")
    VAPH = "VAPH", _("VAPH provider")
    # Work partners
    VDAB = "VDAB", _("VDAB")
    GTB = "GTB", _("GTB")
    GOB = "GOB", _("GOB")
    IPS = "IPS", _("IPS team")
    ARBEIDSCOACH = "ARBEIDSCOACH", _("arbeidscoach team")
    ARBEIDSZORG = "ARBEIDSZORG", _("work-care centre (arbeidszorg)")
    MAATWERK = "MAATWERK", _("social workshop / maatwerkbedrijf")
    # Others
    MUTUALITEIT = "MUTUALITEIT", _("health insurer (mutualiteit)")
    OCMW = "OCMW", _("OCMW")
    FUNDER = "FUNDER", _("funder / evaluator")
    OTHER = "OTHER", _("other")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=OrganisationKind.choices)
    org_type = models.CharField(_("type"), max_length=20, choices=OrganisationType.choices)
    subregion = models.ForeignKey(
        SubRegion, verbose_name=_("sub-region"), null=True, blank=True, on_delete=models.SET_NULL
    )
    is_active = models.BooleanField(_("active"), default=True)
    # How long the organisation keeps a client's data after the file closed (docs/privacy.md); empty
    # keeps it. `manage.py apply_retention` anonymises a client once every involved organisation's
    # period has passed.
    retention_years = models.PositiveSmallIntegerField(
        _("retention period (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Years after a client's file closed before it is anonymised. Empty: keep."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def is_care(self) -> bool:
        return self.kind == OrganisationKind.CARE


class User(AbstractUser):
    """A person who logs in. What they may do depends on their memberships, never on the user alone."""

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    COACH = "coach", _("coach")
    CARE_PROFESSIONAL = "care_professional", _("care professional")
    SCREENER = "screener", _("screener")
    COORDINATOR = "coordinator", _("coordinator")
    NETWORK_ADMIN = "network_admin", _("network admin")
    FUNDER = "funder", _("funder / evaluator")
    # Handles erasure requests and the retention period (GDPR art. 17, 5(1)(e)); sees no client file.
    PRIVACY_OFFICER = "privacy_officer", _("privacy officer")
    # Downloads the research export, and only under an active data-access agreement recorded by the
    # network admin (reports.models.DataAccessAgreement); sees no client file.
    RESEARCHER = "researcher", _("researcher")


# Roles whose work needs client files. A network admin and a funder see no client data by virtue
# of their role (DESIGN §5).
CLIENT_ROLES = frozenset({Role.COACH, Role.CARE_PROFESSIONAL, Role.SCREENER, Role.COORDINATOR})


class Membership(models.Model):
    """A user's role at one organisation; a user acts through one membership at a time."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # Dossiers this person can carry (coaches); the coordinator's capacity view compares against it.
    capacity = models.PositiveSmallIntegerField(_("capacity (dossiers)"), null=True, blank=True)
    fte = models.DecimalField(_("FTE"), max_digits=3, decimal_places=2, default=Decimal("1.00"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="unique_membership_role")
        ]
        ordering = ["organisation__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.organisation}"

    @property
    def sees_clients(self) -> bool:
        return self.is_active and self.role in CLIENT_ROLES


class ReferralLine(models.Model):
    """A referral line (aanmeldlijn) with its fixed screener(s), as in the draaiboek (seed 000)."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("owning organisation"), on_delete=models.PROTECT, related_name="lines"
    )
    description = models.TextField(_("description"), blank=True)
    # Indication codes (see network.indications) that point to this line.
    indications = models.JSONField(_("indications"), default=list, blank=True)
    default_trajectory_type = models.CharField(_("default trajectory type"), max_length=30, blank=True)
    screeners = models.ManyToManyField(
        User, verbose_name=_("screeners"), related_name="screened_lines", blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("referral line")
        verbose_name_plural = _("referral lines")

    def __str__(self) -> str:
        return self.name


class TrajectoryType(models.Model):
    """Extensible list of trajectory types, each with its capacity norm per FTE. Reference data of
    the network: referral lines name their default type, and referrals, trajectories, case teams
    and reports all speak of it (docs/architecture.md)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    capacity_per_fte = models.PositiveSmallIntegerField(_("dossiers per FTE"), default=35)

    class Meta:
        ordering = ["name"]
        verbose_name = _("trajectory type")
        verbose_name_plural = _("trajectory types")

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """A personal API token, bound to one membership; only its hash is stored."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, membership: Membership, name: str) -> tuple[ApiToken, str]:
        key = "wb_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            membership=membership, name=name, key_hash=cls.hash_key(key), prefix=key[:8]
        )
        return token, key


class NetworkSettings(models.Model):
    """Network-wide settings: one row, changed by the network admin (network.actions)."""

    # Two-step login is always required of network admins, coordinators, privacy officers and
    # funders (accounts.twofactor); this asks it of everyone.
    require_two_factor_for_all = models.BooleanField(
        _("two-step verification for everyone"),
        default=False,
        help_text=_("Everyone logs in with a code from an authenticator app, not only the roles that must."),
    )

    class Meta:
        verbose_name = _("network settings")
        verbose_name_plural = _("network settings")

    def __str__(self) -> str:
        return "network settings"

    @classmethod
    def load(cls) -> NetworkSettings:
        """The one row (made with the defaults the first time it is asked for)."""
        row, _created = cls.objects.get_or_create(pk=1)
        return row


class DraaiboekStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")


class DraaiboekVersion(models.Model):
    """One version of the draaiboek's indications and triage rules (network.draaiboek). Editing
    makes a draft (at most one); publishing gives it the next number. A referral keeps the version
    it was triaged under."""

    number = models.PositiveIntegerField(_("version"), null=True, blank=True, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DraaiboekStatus.choices, default=DraaiboekStatus.DRAFT
    )
    note = models.TextField(_("what changed"), max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-number"]
        verbose_name = _("draaiboek version")
        verbose_name_plural = _("draaiboek versions")

    def __str__(self) -> str:
        return f"draaiboek {self.number or 'draft'}"


class IndicationGroup(models.TextChoices):
    """Where the draaiboek groups an indication: the service it points to."""

    ARBEIDSCOACH = "arbeidscoach", _("to the arbeidscoach (intensive pre-trajectory)")
    GTB = "gtb", _("to the GTB trajectory counsellor (regular trajectory possible now)")
    CASE_TEAM = "case_team", _("to the case team")
    OTHER = "other", _("other")


class Indication(models.Model):
    """An indication of one draaiboek version: its code (kept across versions, so that lines,
    referrals and reports keep working), its wording and its triage rule."""

    version = models.ForeignKey(DraaiboekVersion, on_delete=models.CASCADE, related_name="indications")
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("wording"), max_length=300)
    group = models.CharField(_("group"), max_length=20, choices=IndicationGroup.choices)
    # The triage rule: checking it suggests the case team (referrals.triage).
    to_case_team = models.BooleanField(_("asks for the case team"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="indication_code_per_version")
        ]
        verbose_name = _("indication")
        verbose_name_plural = _("indications")

    def __str__(self) -> str:
        return self.code
