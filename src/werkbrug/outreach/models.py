"""Outreach coaching at care sites ("vindplaatsgericht", issue 16; seed 002).

Coaches of a work organisation hold consultation hours at care sites (hospital wards, GP practices,
CGG, …). A site is network data of the organisation that runs it (`run_by`): its coaches and
coordinators see and keep it; anyone else, funders included, gets 404. The people who book an hour
are personal data: a booking holds a first name and one way to reach them, never a client file; a
coach who confirms it may register the person as a client through the clients actions.

Left open for the later parts of issue 16: info sessions and projects hang on `Site`, onward
referrals on `Appointment` (and its optional `client`).
"""

from __future__ import annotations

import datetime
import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.models import Client
from werkbrug.core.exceptions import InvalidTransition
from werkbrug.core.records import CreatedBy, RecordedBy
from werkbrug.network.models import Organisation, SubRegion, User


class SiteKind(models.TextChoices):
    PSYCHIATRIC_WARD = "psy_ward", _("ward of a psychiatric hospital")
    HOSPITAL_WARD = "hospital_ward", _("ward of a general hospital")
    GP = "gp", _("GP practice")
    CGG = "cgg", _("mental-health centre (CGG)")
    WGC = "wgc", _("community health centre")
    CAW = "caw", _("general welfare centre (CAW)")
    # A regional antenna point where coaches hold zitdagen (consultation days; issue 18 point 5).
    ANTENNA = "antenna", _("antenna point (zitdag)")
    OTHER = "other", _("other")


# The characters of a short link: no 0/O, 1/l/I, so a code typed from a poster is read right.
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def new_booking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(7))


class Site(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=SiteKind.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    subregion = models.ForeignKey(
        SubRegion, verbose_name=_("sub-region"), null=True, blank=True, on_delete=models.SET_NULL
    )
    # The organisation whose outreach coaches work here; its coaches and coordinators keep the site.
    run_by = models.ForeignKey(
        Organisation, verbose_name=_("run by"), on_delete=models.PROTECT, related_name="outreach_sites"
    )
    # The care organisation the site belongs to, when it is a network member; else its name.
    host = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation of the site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_outreach_sites",
    )
    host_name = models.CharField(_("organisation of the site (not a member)"), max_length=200, blank=True)
    champion_name = models.CharField(_("internal champion"), max_length=200, blank=True)
    champion_role = models.CharField(_("role of the internal champion"), max_length=200, blank=True)
    booking_code = models.CharField(max_length=12, unique=True, default=new_booking_code, editable=False)
    booking_open = models.BooleanField(_("self-booking open"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("care site")
        verbose_name_plural = _("care sites")
        indexes = [models.Index(fields=["run_by", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def organisation_label(self) -> str:
        return str(self.host) if self.host_id else self.host_name


class Stage(models.IntegerChoices):
    """The recruitment of a site, in order (about six months in the seed)."""

    FIRST_CONTACT = 1, _("first contact")
    INFORMATION = 2, _("information")
    DRAFT_AGREEMENT = 3, _("draft agreement")
    DPO_SIGN_OFF = 4, _("DPO sign-off")
    SIGNED = 5, _("signed")


class RecruitmentStep(models.Model):
    """One dated step of a site's recruitment; the latest is where the site stands."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="steps")
    stage = models.PositiveSmallIntegerField(_("stage"), choices=Stage.choices)
    on = models.DateField(_("date"))
    by = models.ForeignKey(User, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["site", "on", "pk"]
        indexes = [models.Index(fields=["site", "on", "id"])]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} ({self.on})"


class Agreement(RecordedBy):
    """The cooperation agreement with a site."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="agreements")
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"), null=True, blank=True)
    min_inflow_per_year = models.PositiveIntegerField(_("minimum inflow per year"), null=True, blank=True)
    dpo_signed_on = models.DateField(_("DPO sign-off"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    # Stored like a signed consent form (core.privatefiles): outside the web root, served only
    # through a policy-checked view.
    signed_document = models.FileField(_("signed agreement (PDF)"), upload_to="agreements/%Y/%m/", blank=True)

    class Meta:
        ordering = ["site", "-starts_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.site} {self.starts_on}"

    def covers(self, day: datetime.date) -> bool:
        return (
            self.signed_on is not None
            and self.starts_on <= day
            and (self.ends_on is None or day <= self.ends_on)
        )


def covering_agreement(day: datetime.date) -> Q:
    """Sites with a signed agreement that covers `day` (filter Agreement rows with it)."""
    return Q(signed_on__isnull=False, starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class Every(models.IntegerChoices):
    WEEK = 1, _("every week")
    SECOND_WEEK = 2, _("every 2nd week")


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class Hours(models.Model):
    """Recurring consultation hours of one coach at one site: a weekday, from `starts_at` to
    `ends_at`, every week or every 2nd week counted from `valid_from`, until `valid_until`."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="hours")
    coach = models.ForeignKey(User, verbose_name=_("coach"), on_delete=models.PROTECT, related_name="+")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS)
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    valid_from = models.DateField(_("first day"))
    valid_until = models.DateField(_("last day"), null=True, blank=True)
    every = models.PositiveSmallIntegerField(_("repeats"), choices=Every.choices, default=Every.WEEK)
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=30)
    place = models.CharField(_("where at the site"), max_length=200, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["site", "weekday", "starts_at", "pk"]
        verbose_name = _("consultation hours")
        verbose_name_plural = _("consultation hours")
        indexes = [models.Index(fields=["coach", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}-{self.ends_at:%H:%M}"


class CancelledDate(models.Model):
    """An exception: the hours do not take place on this date."""

    hours = models.ForeignKey(Hours, on_delete=models.CASCADE, related_name="cancelled")
    on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["on"]
        constraints = [models.UniqueConstraint(fields=["hours", "on"], name="outreach_one_cancel_per_date")]

    def __str__(self) -> str:
        return str(self.on)


class Channel(models.TextChoices):
    COACH = "coach", _("made by the coach")
    SELF_BOOKING = "self_booking", _("self-booking")


class AppointmentState(models.TextChoices):
    BOOKED = "booked", _("booked")
    ATTENDED = "attended", _("attended")
    NO_SHOW = "no_show", _("no-show")
    CANCELLED = "cancelled", _("cancelled")


# A booked slot is taken until it is cancelled: attended and no-show keep it.
TAKEN = [AppointmentState.BOOKED, AppointmentState.ATTENDED, AppointmentState.NO_SHOW]


class Appointment(CreatedBy):
    """A conversation in a slot of consultation hours. A no-show is counted; it never closes a file
    or anything else (docs/outreach.md)."""

    hours = models.ForeignKey(Hours, on_delete=models.PROTECT, related_name="appointments")
    starts_at = models.DateTimeField(_("time"))
    ends_at = models.DateTimeField()
    first_name = models.CharField(_("first name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    client = models.ForeignKey(Client, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The person's individual path, once the coach started one (part 2): attended appointments
    # count as its conversations.
    path = models.ForeignKey(
        "outreach.Path", null=True, blank=True, on_delete=models.SET_NULL, related_name="appointments"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=AppointmentState.choices, default=AppointmentState.BOOKED
    )
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            # Two people at once: one slot holds one appointment that is not cancelled.
            models.UniqueConstraint(
                fields=["hours", "starts_at"],
                condition=~Q(state="cancelled"),
                name="outreach_one_appointment_per_slot",
            )
        ]
        indexes = [models.Index(fields=["hours", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"

    def set_state(self, state: str, by: User) -> None:
        """booked → attended | no-show | cancelled; a decided appointment stays as it is. Attended
        and no-show only once the slot began."""
        if self.state != AppointmentState.BOOKED:
            raise InvalidTransition(
                gettext("This appointment is already marked %(state)s.") % {"state": self.get_state_display()}
            )
        if state not in (AppointmentState.ATTENDED, AppointmentState.NO_SHOW, AppointmentState.CANCELLED):
            raise InvalidTransition(gettext("Unknown state."))
        if state != AppointmentState.CANCELLED and self.starts_at > timezone.now():
            raise InvalidTransition(
                gettext("Attended or no-show can only be marked once the slot has begun.")
            )
        self.state = state
        self.decided_by = by
        self.decided_at = timezone.now()


class BookingStatus(models.TextChoices):
    PENDING = "pending", _("waiting for the coach")
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")


class Booking(models.Model):
    """A self-booking from the public page: a pending registration, never a client file. It holds
    only what the page asks: a first name and a phone number or an e-mail address, the slot (or a
    request to be called), and the consent the person gave on the page."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="bookings")
    hours = models.ForeignKey(Hours, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    starts_at = models.DateTimeField(_("time"), null=True, blank=True)  # empty: call me back
    first_name = models.CharField(_("first name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # The phone or e-mail, normalised: the limit on open bookings per contact counts it.
    contact_key = models.CharField(max_length=200, db_index=True)
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.SELF_BOOKING
    )
    consent_text = models.TextField(_("consent given"))
    consent_language = models.CharField(max_length=10)
    consent_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"), max_length=20, choices=BookingStatus.choices, default=BookingStatus.PENDING
    )
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    appointment = models.OneToOneField(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="booking"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["hours", "starts_at"],
                condition=Q(status="pending", starts_at__isnull=False),
                name="outreach_one_pending_booking_per_slot",
            )
        ]
        indexes = [models.Index(fields=["site", "status", "created_at"])]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def wants_call(self) -> bool:
        return self.starts_at is None


# Part 2 (issue 16 points 5-8): in their own modules, here so that Django finds them.
from werkbrug.outreach.feed_models import CalendarFeed  # noqa: E402
from werkbrug.outreach.path_models import (  # noqa: E402
    INCAPACITY_STATUSES,
    Audience,
    Certainty,
    Conversation,
    Destination,
    InfoSession,
    MaatwerkKind,
    OnwardReferral,
    Path,
    PathChannel,
    SessionKind,
)
from werkbrug.outreach.project_models import Commitment, FinancingRule, Project  # noqa: E402
from werkbrug.outreach.zitdag_models import ContactPlace  # noqa: E402

__all__ = [
    "INCAPACITY_STATUSES",
    "Audience",
    "CalendarFeed",
    "Certainty",
    "Commitment",
    "ContactPlace",
    "Conversation",
    "Destination",
    "FinancingRule",
    "InfoSession",
    "MaatwerkKind",
    "OnwardReferral",
    "Path",
    "PathChannel",
    "Project",
    "SessionKind",
]
