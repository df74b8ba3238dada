"""Trajectories and what happens in them: phases, contacts, ladder, plan, outcomes, handovers."""

from __future__ import annotations

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.models import Client
from werkbrug.core.exceptions import DomainError, InvalidTransition
from werkbrug.network.models import Organisation, TrajectoryType, User
from werkbrug.referrals.models import Referral
from werkbrug.referrals.status import hide_unshared_trajectories


class Phase(models.TextChoices):
    INTAKE = "intake", _("intake")
    ENGAGEMENT = "engagement", _("engagement")
    ASSESSMENT = "assessment", _("assessment")
    SEARCH = "search", _("job or course search")
    COACHING = "coaching", _("coaching")
    FOLLOW_ALONG = "follow_along", _("follow-along")


class TrajectoryStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    PAUSED = "paused", _("paused")
    CLOSED = "closed", _("closed")


class CloseReason(models.TextChoices):
    # Deliberately no "missed appointments": services never end for that alone (IPS, seed 003).
    GOAL_REACHED = "goal_reached", _("goal reached (work, training, …)")
    HANDED_ON = "handed_on", _("handed on outside the network")
    CLIENT_CHOICE = "client_choice", _("the client chose to stop")
    CARE_FIRST = "care_first", _("care comes first for now (care partner in the background)")
    MOVED = "moved", _("moved out of the region")
    LOST_CONTACT = "lost_contact", _("no contact despite documented outreach attempts")
    OTHER = "other", _("other (explain)")


# Ending for lost contact needs this many documented outreach attempts in the last 60 days.
OUTREACH_ATTEMPTS_REQUIRED = 3


class TrajectoryQuerySet(models.QuerySet["Trajectory"]):
    def for_organisation(self, organisation: Organisation | None) -> TrajectoryQuerySet:
        """Trajectories this organisation leads, contributes to, or is asked to take over. A referrer
        that became a partner by its referral sees the trajectory only while the client agrees that
        it follows the outcome (referrals.status): without that consent it is an outsider here."""
        if organisation is None:
            return self.none()
        return hide_unshared_trajectories(self, organisation).filter(
            Q(lead_organisation=organisation)
            | Q(pk__in=TrajectoryPartner.objects.filter(organisation=organisation).values("trajectory_id"))
            | Q(
                pk__in=Handover.objects.filter(
                    to_organisation=organisation, status=HandoverStatus.PROPOSED
                ).values("trajectory_id")
            )
        )

    def open(self) -> TrajectoryQuerySet:
        """Active and paused: what a coach carries."""
        return self.filter(status__in=(TrajectoryStatus.ACTIVE, TrajectoryStatus.PAUSED))

    def with_next_goal_due(self) -> TrajectoryQuerySet:
        """Annotate `next_goal_due`: the earliest due date of an open plan goal (one subquery, no
        GROUP BY, so lists keep a constant number of queries)."""
        open_goals = PlanGoal.objects.filter(
            trajectory=OuterRef("pk"), done_on__isnull=True, due_on__isnull=False
        ).order_by("due_on")
        return self.annotate(next_goal_due=Subquery(open_goals.values("due_on")[:1]))


class Trajectory(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="trajectories")
    referral = models.OneToOneField(
        Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="trajectory"
    )
    type = models.ForeignKey(TrajectoryType, verbose_name=_("type"), on_delete=models.PROTECT)
    lead_organisation = models.ForeignKey(
        Organisation, verbose_name=_("lead organisation"), on_delete=models.PROTECT, related_name="+"
    )
    coach = models.ForeignKey(
        User, verbose_name=_("coach"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.INTAKE)
    status = models.CharField(
        _("status"), max_length=10, choices=TrajectoryStatus.choices, default=TrajectoryStatus.ACTIVE
    )
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(_("reason"), max_length=20, choices=CloseReason.choices, blank=True)
    close_note = models.CharField(_("explanation"), max_length=1000, blank=True)
    pause_reason = models.CharField(_("reason for the pause"), max_length=500, blank=True)
    # Kept by record_contact() so that the caseload needs no aggregate over millions of contacts.
    last_contact_on = models.DateField(null=True, blank=True)
    first_contact_on = models.DateField(null=True, blank=True)
    # Set by accept_handover() and never unset (an accepted handover is final): the trajectory has an
    # accepted handover. A report's type and lead as of a date read the handover history for these
    # trajectories only, without a lookup per row for all the others (reports.asof).
    handed_over = models.BooleanField(default=False, editable=False)

    objects = TrajectoryQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]
        indexes = [
            models.Index(fields=["coach", "status"]),
            # Every trajectory a coach led for an organisation, from the index alone ("paid work to
            # verify" on the caseload), and the open ones among them (the caseload): with the status
            # in the index, PostgreSQL's generic plan no longer reads the coach's closed history
            # (docs/bench.md).
            models.Index(fields=["coach", "lead_organisation", "status"]),
            models.Index(fields=["lead_organisation", "status"]),
            # An organisation's trajectories of one type: its IPS coaches on the live fidelity page
            # (fidelity.figures) read its IPS trajectories only, not all it leads; on SQLite 2.8 ms
            # to under 0.01 for an organisation of 2,437 trajectories, none IPS (docs/bench.md, s48).
            models.Index(fields=["lead_organisation", "type"]),
            models.Index(fields=["started_on"]),
        ]
        verbose_name = _("trajectory")
        verbose_name_plural = _("trajectories")

    def __str__(self) -> str:
        return f"{self.type} — {self.client}"

    @property
    def is_open(self) -> bool:
        return self.status != TrajectoryStatus.CLOSED

    def _require(self, allowed: tuple[str, ...], message: str) -> None:
        if self.status not in allowed:
            raise InvalidTransition(message)

    def set_phase(self, phase: str) -> None:
        self._require((TrajectoryStatus.ACTIVE,), str(_("Only an active trajectory changes phase.")))
        self.phase = Phase(phase)

    def pause(self, reason: str) -> None:
        self._require((TrajectoryStatus.ACTIVE,), str(_("Only an active trajectory can be paused.")))
        if not reason.strip():
            raise DomainError(str(_("Say why the trajectory is paused.")), field="reason")
        self.status = TrajectoryStatus.PAUSED
        self.pause_reason = reason.strip()

    def resume(self) -> None:
        self._require((TrajectoryStatus.PAUSED,), str(_("Only a paused trajectory can be resumed.")))
        self.status = TrajectoryStatus.ACTIVE
        self.pause_reason = ""

    def close(self, reason: str, note: str, on: datetime.date, outreach_attempts: int) -> None:
        self._require(
            (TrajectoryStatus.ACTIVE, TrajectoryStatus.PAUSED), str(_("This trajectory is already closed."))
        )
        if not reason:
            raise DomainError(str(_("Choose a reason for closing.")), field="reason")
        if reason not in CloseReason.values:
            raise DomainError(str(_("Unknown reason.")), field="reason")
        if reason == CloseReason.OTHER and not note.strip():
            raise DomainError(str(_("Explain the reason for closing.")), field="note")
        if reason == CloseReason.LOST_CONTACT and outreach_attempts < OUTREACH_ATTEMPTS_REQUIRED:
            raise DomainError(
                str(
                    _(
                        "A trajectory is never closed for missed appointments alone: document at least "
                        "%(n)s outreach attempts in the last 60 days first."
                    )
                    % {"n": OUTREACH_ATTEMPTS_REQUIRED}
                ),
                field="reason",
            )
        if on < self.started_on:
            raise DomainError(str(_("A trajectory cannot close before it started.")), field="on")
        self.status = TrajectoryStatus.CLOSED
        self.close_reason = reason
        self.close_note = note.strip()
        self.closed_on = on

    def reopen(self) -> None:
        self._require((TrajectoryStatus.CLOSED,), str(_("Only a closed trajectory can be re-opened.")))
        self.status = TrajectoryStatus.ACTIVE
        self.closed_on = None
        self.close_reason = ""
        self.close_note = ""


class PartnerRole(models.TextChoices):
    CARE_BACKGROUND = "care_background", _("care partner in the background")
    CONTRIBUTING = "contributing", _("contributing partner")
    FORMER_LEAD = "former_lead", _("former lead")


class TrajectoryPartner(models.Model):
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=20, choices=PartnerRole.choices)
    contact_person = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    since = models.DateField(default=timezone.localdate)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "organisation", "role"], name="unique_partner_role")
        ]
        verbose_name = _("trajectory partner")
        verbose_name_plural = _("trajectory partners")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class ContactKind(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("in person")
    PHONE = "phone", _("phone")
    EMAIL = "email", _("e-mail / message")
    HOME_VISIT = "home_visit", _("home visit")
    EMPLOYER = "employer", _("with employer")
    THREE_WAY = "three_way", _("three-way conversation")
    OUTREACH_ATTEMPT = "outreach_attempt", _("outreach attempt (no answer)")


class Contact(models.Model):
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="contacts")
    on = models.DateField(_("date"), default=timezone.localdate)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ContactKind.choices, default=ContactKind.FACE_TO_FACE
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), null=True, blank=True, validators=[MaxValueValidator(24 * 60)]
    )
    note = models.CharField(_("short note"), max_length=500, blank=True)
    informal = models.BooleanField(_("informal"), default=False)
    # Care notes stay with care partners (DESIGN §5).
    care_only = models.BooleanField(_("care note (care partners only)"), default=False)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["trajectory", "on"])]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"


class LadderRung(models.IntegerChoices):
    """The participation ladder (participatieladder, 6 rungs)."""

    ISOLATED = 1, _("1 — isolated")
    SOCIAL_CONTACTS = 2, _("2 — social contacts outside the home")
    ORGANISED_ACTIVITIES = 3, _("3 — taking part in organised activities")
    UNPAID_WORK = 4, _("4 — unpaid work")
    SUPPORTED_PAID_WORK = 5, _("5 — paid work with support")
    PAID_WORK = 6, _("6 — paid work")


class LadderPosition(models.Model):
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="ladder")
    on = models.DateField(_("date"), default=timezone.localdate)
    rung = models.PositiveSmallIntegerField(
        _("rung"), choices=LadderRung.choices, validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = _("participation ladder position")
        verbose_name_plural = _("participation ladder positions")

    def __str__(self) -> str:
        return f"{self.on}: {self.rung}"


class PlanGoal(models.Model):
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="goals")
    goal = models.CharField(_("goal"), max_length=300)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = [models.F("done_on").asc(nulls_first=True), models.F("due_on").asc(nulls_last=True), "pk"]
        indexes = [
            models.Index(
                fields=["trajectory", "due_on"], condition=Q(done_on__isnull=True), name="open_goal_idx"
            )
        ]
        verbose_name = _("plan goal")
        verbose_name_plural = _("plan goals")

    def __str__(self) -> str:
        return self.goal


class OutcomeKind(models.TextChoices):
    PAID_WORK = "paid_work", _("paid work")
    TRAINING = "training", _("training")
    VOLUNTEERING = "volunteering", _("volunteering")
    WORK_CARE = "work_care", _("work-care (arbeidszorg)")
    VDAB_REGISTRATION = "vdab_registration", _("VDAB registration")
    RETURN_TO_WORK = "return_to_work", _("(partial) return to work")
    ONWARD_REFERRAL = "onward_referral", _("onward referral")
    NO_FURTHER_STEPS = "no_further_steps", _("no further steps")
    DROP_OUT = "drop_out", _("drop-out")
    RELAPSE_TO_CARE = "relapse_to_care", _("relapse to care")


class Economy(models.TextChoices):
    NEC = "nec", _("regular economy (NEC)")
    SOCIAL = "social", _("social economy")


class Certainty(models.TextChoices):
    ESTIMATED = "estimated", _("estimated")
    VERIFIED = "verified", _("verified")


# Paid work counts as an outcome once verified after three months of employment (seed 001).
PAID_WORK_VERIFY_AFTER_DAYS = 91


class Outcome(models.Model):
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("outcome"), max_length=20, choices=OutcomeKind.choices)
    on = models.DateField(_("date"), default=timezone.localdate)
    economy = models.CharField(_("economy"), max_length=10, choices=Economy.choices, blank=True)
    certainty = models.CharField(
        _("certainty"), max_length=10, choices=Certainty.choices, default=Certainty.ESTIMATED
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verify_due_on = models.DateField(_("verify on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-on", "-pk"]
        indexes = [
            models.Index(fields=["kind", "on"]),
            # The estimated paid work still to verify, per trajectory: a small index (docs/bench.md, s33).
            models.Index(
                fields=["trajectory", "verify_due_on"],
                condition=models.Q(kind=OutcomeKind.PAID_WORK, certainty=Certainty.ESTIMATED),
                name="outcome_to_verify_idx",
            ),
        ]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.on})"

    @property
    def needs_verification(self) -> bool:
        return self.certainty == Certainty.ESTIMATED and self.verify_due_on is not None

    @property
    def verification_due(self) -> bool:
        """Estimated, with a verification date that has come (paid work after three months)."""
        return self.needs_verification and self.verify_due_on <= timezone.localdate()  # type: ignore[operator]

    def verify(self, on: datetime.date) -> None:
        if self.certainty == Certainty.VERIFIED:
            raise InvalidTransition(str(_("This outcome is already verified.")))
        if self.kind == OutcomeKind.PAID_WORK and self.verify_due_on and on < self.verify_due_on:
            raise DomainError(
                str(_("Paid work is verified after three months of employment, from %(date)s on."))
                % {"date": self.verify_due_on.strftime("%d/%m/%Y")},
                field="on",
            )
        self.certainty = Certainty.VERIFIED
        self.verified_on = on


class HandoverStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Handover(models.Model):
    """A warm handover of the lead to another organisation: proposed, then accepted or declined."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="handovers")
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey(
        Organisation, verbose_name=_("to organisation"), on_delete=models.PROTECT, related_name="+"
    )
    new_type = models.ForeignKey(
        TrajectoryType, verbose_name=_("new trajectory type"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("handover note"), max_length=2000)
    # The trajectory's type when the handover was proposed: with the accepted handovers in order it
    # gives the type at any date (reports count a trajectory under the type it had then). Filled for
    # older rows by migration 0005 (docs/reports.md, "As of a date").
    from_type = models.ForeignKey(
        TrajectoryType,
        verbose_name=_("previous trajectory type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(max_length=10, choices=HandoverStatus.choices, default=HandoverStatus.PROPOSED)
    proposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("reason"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        indexes = [
            models.Index(fields=["to_organisation", "status"]),
            # The reports' as-of lookups: a trajectory's accepted handovers in the order decided.
            models.Index(fields=["trajectory", "status", "decided_at"], name="handover_history_idx"),
        ]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")

    def __str__(self) -> str:
        return f"{self.from_organisation} → {self.to_organisation}"

    def decide(self, status: str) -> None:
        if self.status != HandoverStatus.PROPOSED:
            raise InvalidTransition(str(_("This handover has already been decided.")))
        self.status = status


class TrajectoryEventKind(models.TextChoices):
    STARTED = "started", _("started")
    PHASE = "phase", _("phase changed")
    PAUSED = "paused", _("paused")
    RESUMED = "resumed", _("resumed")
    CLOSED = "closed", _("closed")
    REOPENED = "reopened", _("re-opened")
    HANDOVER_PROPOSED = "handover_proposed", _("handover proposed")
    HANDOVER_ACCEPTED = "handover_accepted", _("handover accepted")
    HANDOVER_DECLINED = "handover_declined", _("handover declined")
    COACH = "coach", _("coach changed")


class TrajectoryEvent(models.Model):
    """The trajectory's timeline of state changes."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=TrajectoryEventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    detail = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("trajectory event")
        verbose_name_plural = _("trajectory events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class CarePartnerType(models.Model):
    """A trajectory type for which the network asks a care partner on call (seed 000: a care partner
    who stays in the background; if there is none, the coach activates one). A trajectory of such a
    type without a background care partner is flagged on the caseload."""

    type = models.OneToOneField(TrajectoryType, on_delete=models.CASCADE, related_name="care_partner_rule")

    class Meta:
        verbose_name = _("type that asks a care partner on call")
        verbose_name_plural = _("types that ask a care partner on call")

    def __str__(self) -> str:
        return str(self.type)
