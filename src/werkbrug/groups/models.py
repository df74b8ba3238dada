"""Group modules (issue 18, point 1; seed 001 L298-310): a module template such as Job-Radar (14
weeks in 3 phases, at most 13 participants), its runs (a start date, coaches, a place, the organising
organisation), their sessions with attendance, enrolments from trajectories with a waiting list, the
work-experience placement with an employer and an outcome per participant at the end.

A template and a run are network data. An enrolment names a client: it hangs on the client's
trajectory and is read through `clients.access` (groups/access.py says who sees which enrolment).
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core.records import CreatedBy
from werkbrug.employers.models import Employer
from werkbrug.network.models import Organisation, User
from werkbrug.trajectories.models import Trajectory


class ModuleTemplate(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    weeks = models.PositiveSmallIntegerField(_("weeks"))
    cap = models.PositiveSmallIntegerField(_("maximum number of participants"))
    description = models.CharField(_("description"), max_length=500, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weeks__gte=1, weeks__lte=104), name="groups_weeks_range"
            ),
            models.CheckConstraint(condition=models.Q(cap__gte=1, cap__lte=100), name="groups_cap_range"),
        ]

    def __str__(self) -> str:
        return self.name


class ModulePhase(models.Model):
    """A phase of a template, by its weeks (1-based, both included)."""

    template = models.ForeignKey(ModuleTemplate, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("name"), max_length=200)
    first_week = models.PositiveSmallIntegerField(_("first week"))
    last_week = models.PositiveSmallIntegerField(_("last week"))
    is_placement = models.BooleanField(_("work-experience placement"), default=False)

    class Meta:
        ordering = ["template", "first_week", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["template", "first_week"], name="groups_phase_week_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def week_count(self) -> int:
        return self.last_week - self.first_week + 1


def week_start(starts_on: datetime.date, week: int) -> datetime.date:
    """The first day of week `week` (1-based) of a run that starts on `starts_on`."""
    return starts_on + datetime.timedelta(weeks=week - 1)


def week_end(starts_on: datetime.date, week: int) -> datetime.date:
    return starts_on + datetime.timedelta(weeks=week, days=-1)


class Run(CreatedBy):
    template = models.ForeignKey(
        ModuleTemplate, verbose_name=_("module"), on_delete=models.PROTECT, related_name="runs"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("start"))
    place = models.CharField(_("place"), max_length=200)
    coaches = models.ManyToManyField(User, verbose_name=_("coaches"), related_name="group_runs")

    class Meta:
        ordering = ["-starts_on", "pk"]
        indexes = [models.Index(fields=["organisation", "starts_on"])]

    def __str__(self) -> str:
        return f"{self.template} {self.starts_on:%d/%m/%Y}"

    @property
    def ends_on(self) -> datetime.date:
        return week_end(self.starts_on, self.template.weeks)

    def phase_dates(self, phases: list[ModulePhase] | None = None) -> list[dict[str, object]]:
        """Each phase of the template with its dates in this run."""
        rows = phases if phases is not None else list(self.template.phases.all())
        return [
            {
                "phase": p,
                "starts_on": week_start(self.starts_on, p.first_week),
                "ends_on": week_end(self.starts_on, p.last_week),
            }
            for p in rows
        ]


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("enrolled")
    OFFERED = "offered", _("seat offered")
    WAITING = "waiting", _("on the waiting list")
    WITHDRAWN = "withdrawn", _("withdrawn")


# Statuses that hold a seat: the cap counts these.
SEATED = (EnrolmentStatus.ENROLLED, EnrolmentStatus.OFFERED)


class Outcome(models.TextChoices):
    """Where a participant stands at the end (seed 001 L298-310: a more positive self-image, a more
    conscious job choice, the step to IPS that was too early before)."""

    IPS = "ips", _("on to IPS")
    WORK = "work", _("on to paid work")
    TRAINING = "training", _("on to training or volunteer work")
    JOB_CHOICE = "job_choice", _("clearer job choice, no next step yet")
    STOPPED = "stopped", _("stopped before the end")


class Enrolment(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="enrolments")
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="group_enrolments")
    status = models.CharField(_("status"), max_length=10, choices=EnrolmentStatus.choices)
    enrolled_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    enrolled_at = models.DateTimeField(default=timezone.now)
    placement_employer = models.ForeignKey(
        Employer,
        verbose_name=_("placement employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_placements",
    )
    placement_name = models.CharField(_("placement (free name)"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["enrolled_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "trajectory"], name="groups_enrolment_unique"),
        ]
        indexes = [models.Index(fields=["run", "status"])]

    def __str__(self) -> str:
        return f"{self.trajectory} · {self.run}"

    @property
    def placement(self) -> str:
        return str(self.placement_employer) if self.placement_employer_id else self.placement_name


class Session(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="sessions")
    on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200, blank=True)

    class Meta:
        ordering = ["on", "pk"]
        constraints = [models.UniqueConstraint(fields=["run", "on"], name="groups_session_day_unique")]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y}"


class Presence(models.TextChoices):
    PRESENT = "present", _("present")
    EXCUSED = "excused", _("excused")
    ABSENT = "absent", _("absent")


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    presence = models.CharField(_("presence"), max_length=8, choices=Presence.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="groups_attendance_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.get_presence_display()}"
