"""Issue 16 part 2: info sessions (collective reach) and the individual path with its onward
referrals (docs/outreach.md). Imported by `outreach.models`, so Django finds them there."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.models import Client
from werkbrug.core.records import CreatedBy, RecordedBy
from werkbrug.network.models import User
from werkbrug.trajectories.models import Trajectory


class SessionKind(models.TextChoices):
    INFO_SESSION = "info_session", _("info session")
    WEBINAR = "webinar", _("webinar")
    ON_THE_WARD = "on_the_ward", _("on the ward")


class Audience(models.TextChoices):
    CLIENTS = "clients", _("clients")
    PROFESSIONALS = "professionals", _("care professionals")


class InfoSession(RecordedBy):
    """Collective reach: a session at a site and how many people it reached. Attendees are no
    persons here: they become individual contacts only when they book or are referred."""

    site = models.ForeignKey("outreach.Site", on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    reached = models.PositiveIntegerField(_("number reached"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["site", "held_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"


class PathChannel(models.TextChoices):
    """How the person came to the coach (the evaluators' "by channel")."""

    HOURS = "hours", _("consultation hours")
    SELF_BOOKING = "self_booking", _("self-booking")
    CARE_PROFESSIONAL = "care_professional", _("referred by a care professional")
    INFO_SESSION = "info_session", _("after an info session")
    OTHER = "other", _("other")


class Path(CreatedBy):
    """One person's individual path with an outreach coach at a site: the conversations (attended
    appointments and contacts), the informed decision, the onward referrals. A first name only,
    unless the person has a client file (`client`): then the path is read through clients.access."""

    site = models.ForeignKey("outreach.Site", on_delete=models.PROTECT, related_name="paths")
    coach = models.ForeignKey(User, verbose_name=_("coach"), on_delete=models.PROTECT, related_name="+")
    first_name = models.CharField(_("first name"), max_length=100)
    client = models.ForeignKey(
        Client, null=True, blank=True, on_delete=models.SET_NULL, related_name="outreach_paths"
    )
    # With a client file, the path hangs on the client's outreach trajectory (type code "outreach")
    # at the site's organisation: the client file shows it there (trajectories.panels).
    trajectory = models.ForeignKey(
        Trajectory, null=True, blank=True, on_delete=models.SET_NULL, related_name="outreach_paths"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=PathChannel.choices)
    started_on = models.DateField(_("first conversation"))
    decided_on = models.DateField(_("informed decision"), null=True, blank=True)
    decision_note = models.CharField(_("the decision"), max_length=300, blank=True)
    # Waiting for an outside service keeps the path open, with a reminder to keep the intention warm.
    waiting_for = models.CharField(_("waiting for"), max_length=200, blank=True)
    remind_on = models.DateField(_("reminder"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        indexes = [models.Index(fields=["site", "started_on"]), models.Index(fields=["coach", "closed_on"])]

    def __str__(self) -> str:
        return f"{self.first_name} ({self.started_on})"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class Conversation(models.Model):
    """A conversation outside an appointment (by phone, on the ward). Attended appointments of the
    path count as conversations too."""

    path = models.ForeignKey(Path, on_delete=models.CASCADE, related_name="conversations")
    on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return str(self.on)


class Destination(models.TextChoices):
    """The onward referral's destination; the annex 11.5 categories in its order."""

    VDAB = "vdab", _("VDAB registration")
    OCCUPATIONAL_PHYSICIAN = "occupational_physician", _("occupational physician")
    INSURER = "insurer", _("insurer / advising physician / TNWC")
    MAATWERK = "maatwerk", _("maatwerk application (individual or collective)")
    TRAINING = "training", _("training")
    RETURN_TO_WORK = "return_to_work", _("(partial) return to work")
    VOLUNTEERING = "volunteering", _("volunteering")
    AMA_WVG = "ama_wvg", _("AMA-WVG")
    NO_FURTHER_STEPS = "none", _("no further steps")
    OTHER = "other", _("other")


class MaatwerkKind(models.TextChoices):
    INDIVIDUAL = "individual", _("individual")
    COLLECTIVE = "collective", _("collective")


class Certainty(models.TextChoices):
    PRESUMED = "presumed", _("presumed")
    VERIFIED = "verified", _("verified")


# Benefit statuses that mean a recognised work incapacity.
INCAPACITY_STATUSES = ("incapacity", "disability")


class OnwardReferral(RecordedBy):
    """Where the person goes next. Presumed when recorded; verifying later keeps the first date
    (`referred_on`) and adds `verified_on`. `work_incapacity` is the person's benefit status on
    `referred_on`, kept with the referral."""

    path = models.ForeignKey(Path, on_delete=models.CASCADE, related_name="referrals")
    destination = models.CharField(_("destination"), max_length=30, choices=Destination.choices)
    maatwerk_kind = models.CharField(_("maatwerk"), max_length=20, choices=MaatwerkKind.choices, blank=True)
    referred_on = models.DateField(_("date"))
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    work_incapacity = models.BooleanField(_("recognised work incapacity"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    verified_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["referred_on", "pk"]
        indexes = [models.Index(fields=["destination", "referred_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(verified_on__isnull=True) | Q(verified_on__gte=models.F("referred_on")),
                name="outreach_verified_after_referral",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_destination_display()} ({self.referred_on})"

    @property
    def certainty(self) -> str:
        return Certainty.VERIFIED if self.verified_on else Certainty.PRESUMED
