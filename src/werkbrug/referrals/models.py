"""Referrals to a line, their triage and the waiting list."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.models import Client
from werkbrug.core.exceptions import InvalidTransition
from werkbrug.network.models import Organisation, ReferralLine, User


class Urgency(models.TextChoices):
    NORMAL = "normal", _("normal")
    URGENT = "urgent", _("urgent")


class Channel(models.TextChoices):
    """How the person reached us (seed 002: referral channels were not recorded)."""

    CARE_PROFESSIONAL = "care_professional", _("referred by a care professional")
    GP = "gp", _("referred by a GP")
    INSURER = "insurer", _("referred by the insurer (advising physician)")
    WORK_PARTNER = "work_partner", _("referred by a work partner")
    INFO_SESSION = "info_session", _("info session")
    SELF = "self", _("self-registration")
    WARD = "ward", _("coach on the ward")
    OTHER = "other", _("other")


class ReferralStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted, awaiting triage")
    WAITING = "waiting", _("on the waiting list")
    CASE_TEAM = "case_team", _("sent to the case team")
    ASSIGNED = "assigned", _("assigned to a coach")
    ACCEPTED = "accepted", _("accepted, trajectory started")
    DECLINED = "declined", _("declined")


OPEN_STATUSES = (
    ReferralStatus.SUBMITTED,
    ReferralStatus.WAITING,
    ReferralStatus.CASE_TEAM,
    ReferralStatus.ASSIGNED,
)
# Statuses a screener still acts on (an assigned referral waits for the coach).
TRIAGE_STATUSES = (ReferralStatus.SUBMITTED, ReferralStatus.WAITING, ReferralStatus.CASE_TEAM)

# Which status may follow which. Redirecting keeps the status "submitted" on the new line.
_TRIAGED = frozenset({ReferralStatus.ASSIGNED, ReferralStatus.DECLINED})
TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.SUBMITTED: _TRIAGED | {ReferralStatus.WAITING, ReferralStatus.CASE_TEAM},
    ReferralStatus.WAITING: _TRIAGED | {ReferralStatus.CASE_TEAM},
    ReferralStatus.CASE_TEAM: _TRIAGED | {ReferralStatus.WAITING},
    # The coach accepts (a trajectory starts) or hands it back to the screener.
    ReferralStatus.ASSIGNED: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.SUBMITTED}),
    ReferralStatus.ACCEPTED: frozenset(),
    ReferralStatus.DECLINED: frozenset(),
}


class DeclineReason(models.TextChoices):
    NOT_TARGET_GROUP = "not_target_group", _("not in the target group")
    NO_WORK_QUESTION = "no_work_question", _("no work question (yet)")
    CLIENT_WITHDREW = "client_withdrew", _("the client withdrew")
    OTHER_SERVICE = "other_service", _("better served outside the network")
    OTHER = "other", _("other")


class ReferralQuerySet(models.QuerySet["Referral"]):
    def for_organisation(self, organisation: Organisation | None) -> ReferralQuerySet:
        """Referrals this organisation made or receives on one of its lines."""
        if organisation is None:
            return self.none()
        return self.filter(
            models.Q(referring_organisation=organisation) | models.Q(line__organisation=organisation)
        )


class Referral(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="referrals")
    # No index of its own: (line, status, created_at) below leads with it. With both, PostgreSQL's
    # generic plan (prepared statements, docs/bench.md) took the line's own index and filtered the
    # status, reading the line's whole history for its few open referrals.
    line = models.ForeignKey(
        ReferralLine, verbose_name=_("referral line"), on_delete=models.PROTECT, db_index=False
    )
    referring_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    referred_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    question = models.TextField(_("question"), max_length=4000)
    indications = models.JSONField(_("indications"), default=list, blank=True)
    # The draaiboek version the indications were checked under: the referral shows its wording.
    draaiboek = models.ForeignKey(
        "network.DraaiboekVersion",
        verbose_name=_("draaiboek version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SUBMITTED
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    waiting_since = models.DateTimeField(null=True, blank=True)
    expected_start = models.DateField(_("expected start"), null=True, blank=True)
    # Indexed by (assigned_coach, status) below, for the same reason as `line`.
    assigned_coach = models.ForeignKey(
        User,
        verbose_name=_("coach"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    decline_reason = models.CharField(_("reason"), max_length=20, choices=DeclineReason.choices, blank=True)
    decision_note = models.CharField(_("note"), max_length=1000, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # A line's referrals with what the coordinator's reports read of them, from the index
            # alone on PostgreSQL (SQLite ignores `include`; its index rows carry the id already):
            # the caseload report's waiting times and the funnel read a few thousand referrals of
            # the organisation's lines (docs/bench.md, s43).
            models.Index(
                fields=["line", "status", "created_at"],
                include=["id", "channel", "referring_organisation"],
                name="referrals_line_status_created",
            ),
            # A line's referrals accepted since a day, with the day each was submitted: the caseload
            # report's waiting times of the trajectories started in a period, without reading every
            # referral the line ever had (docs/bench.md, s49). The last field makes it covering on
            # both engines.
            models.Index(
                fields=["line", "status", "decided_at", "created_at"], name="referrals_line_status_decided"
            ),
            models.Index(fields=["referring_organisation", "created_at"]),
            # "Assigned to me" on the caseload: the coach's referrals in that status, not every
            # referral ever assigned to them (docs/bench.md, s33).
            models.Index(fields=["assigned_coach", "status"]),
        ]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.client} → {self.line}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def move_to(self, status: str) -> None:
        if status not in TRANSITIONS[self.status]:
            raise InvalidTransition(
                str(_("A referral that is “%(current)s” cannot become “%(new)s”."))
                % {"current": self.get_status_display(), "new": ReferralStatus(status).label}
            )
        self.status = status
        now = timezone.now()
        if status != ReferralStatus.ASSIGNED and status != ReferralStatus.ACCEPTED:
            self.assigned_coach = None
        if status == ReferralStatus.WAITING:
            self.waiting_since = now
        if status in (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED):
            self.decided_at = now

    def redirect_to(self, line: ReferralLine) -> None:
        if not self.is_open:
            raise InvalidTransition(str(_("Only an open referral can be redirected.")))
        if line.pk == self.line_id:
            raise InvalidTransition(str(_("The referral is already on this line.")), field="line")
        self.line = line
        self.status = ReferralStatus.SUBMITTED
        self.assigned_coach = None
        self.waiting_since = None
        self.expected_start = None


class ReferralEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    REDIRECTED = "redirected", _("redirected")
    WAITLISTED = "waitlisted", _("put on the waiting list")
    TO_CASE_TEAM = "to_case_team", _("sent to the case team")
    ASSIGNED = "assigned", _("assigned to a coach")
    RETURNED = "returned", _("returned to the screener")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


class ReferralEvent(models.Model):
    """The referral's history: every triage step, with the line before and after."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=ReferralEventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    from_line = models.ForeignKey(ReferralLine, null=True, on_delete=models.PROTECT, related_name="+")
    to_line = models.ForeignKey(ReferralLine, null=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["kind", "at"]),
            # A line's events of a period (the waiting lists' monthly flow): read by date, not all of
            # them, and from the index alone (kind and the other line in it: a busy line has thousands
            # of events a year, each a lookup in the table otherwise).
            models.Index(fields=["to_line", "at", "kind", "from_line"], name="referrals_event_to_line_flow"),
            models.Index(
                fields=["from_line", "at", "kind", "to_line"], name="referrals_event_from_line_flow"
            ),
        ]
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


def expected_start_default(today: datetime.date, position: int, per_month: int = 4) -> datetime.date:
    """A rough expected start: the line takes in about `per_month` people a month."""
    return today + datetime.timedelta(days=30 * ((position - 1) // max(per_month, 1) + 1))
