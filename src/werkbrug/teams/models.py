"""Case teams (the monthly ZoWeZo team, MDOs, IPS team meetings, intervision): members, registered
cases, meetings with an agenda, minutes, decisions and action items."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.models import Client
from werkbrug.core.records import CreatedBy
from werkbrug.network.models import Organisation, User
from werkbrug.referrals.models import Referral
from werkbrug.trajectories.models import Trajectory

MAX_TEXT = 4000


class TeamKind(models.TextChoices):
    CASE_TEAM = "case_team", _("case team (e.g. ZoWeZo)")
    MDO = "mdo", _("multidisciplinary case meeting (MDO)")
    IPS_TEAM = "ips_team", _("IPS team meeting")
    INTERVISION = "intervision", _("intervision")


class Team(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=TeamKind.choices)
    # The organisation that hosts the team. A client's consent to discussion in the team names it as
    # recipient (purpose "case_team").
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("host organisation"), on_delete=models.PROTECT, related_name="teams"
    )
    cadence = models.CharField(
        _("cadence"), max_length=100, blank=True, help_text=_("e.g. monthly, 2nd Tuesday")
    )
    default_place = models.CharField(_("default place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    """A fixed member: a person and the organisation they sit in the team for."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="team_memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    since = models.DateField(default=timezone.localdate)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="unique_team_member")]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"


class CaseReason(models.TextChoices):
    UNCLEAR_LEAD = "unclear_lead", _("unclear which service should lead")
    INTENSIVE = "intensive", _("intensive or broad support needed")
    RELAPSE = "relapse", _("relapse")
    OTHER = "other", _("other")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class Case(models.Model):
    """A client's case registered for a team by any network partner. Shown by name only while the
    client consents to discussion in that team; otherwise everyone sees the anonymous label."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cases")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="team_cases")
    referral = models.ForeignKey(Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    trajectory = models.ForeignKey(
        Trajectory, null=True, blank=True, on_delete=models.SET_NULL, related_name="team_cases"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=CaseReason.choices)
    question = models.TextField(_("question for the team"), max_length=MAX_TEXT)
    registered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    registered_by_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["team", "status"])]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        # Never the client's name: templates decide what to show through teams.access.
        return self.anonymous_label

    @property
    def anonymous_label(self) -> str:
        return str(_("Case %(number)s")) % {"number": self.pk}


class Meeting(models.Model):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # A meeting generated from the team's recurring rule (teams.series): the rule and the date the
    # rule gave it (kept when an exception moves it), so generating again adds no duplicate.
    series = models.ForeignKey(
        "MeetingSeries", null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    occurrence = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["team", "starts_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "occurrence"],
                condition=models.Q(series__isnull=False),
                name="unique_series_occurrence",
            )
        ]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.team} {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"


class AgendaItem(models.Model):
    """One item of a meeting: a registered case (or a general point), with its minutes and decision."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("title"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    minutes = models.TextField(_("minutes"), max_length=MAX_TEXT, blank=True)
    # The decision on a case: which organisation leads and the next steps.
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("which service leads"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    next_steps = models.TextField(_("next steps"), max_length=MAX_TEXT, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title or (self.case.anonymous_label if self.case else "")


class ItemGuest(models.Model):
    """Someone invited for one agenda item: they see that item only."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="guests")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="unique_item_guest")]

    def __str__(self) -> str:
        return str(self.user)


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    present = models.BooleanField(_("present"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="unique_attendance")]

    def __str__(self) -> str:
        return f"{self.user}: {self.present}"


class ActionItem(CreatedBy):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="actions")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    description = models.CharField(_("action"), max_length=500)
    owner = models.ForeignKey(
        User, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="team_actions"
    )
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner", "done_on", "due_on"])]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.description

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("weekly")
    MONTHLY = "monthly", _("monthly, on the n-th weekday")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, _("first")
    SECOND = 2, _("second")
    THIRD = 3, _("third")
    FOURTH = 4, _("fourth")
    LAST = -1, _("last")


class MeetingSeries(models.Model):
    """A team's recurring rule: weekly (every n weeks) on a weekday, or monthly on the n-th weekday,
    at a local (Europe/Brussels) time. Meetings are generated ahead from it (teams.series)."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="series")
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    interval = models.PositiveSmallIntegerField(_("every n weeks"), default=1)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    week_of_month = models.SmallIntegerField(
        _("which one in the month"), choices=WeekOfMonth.choices, null=True, blank=True
    )
    start_time = models.TimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=120)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("recurring rule")
        verbose_name_plural = _("recurring rules")

    def __str__(self) -> str:
        return str(self.team)


class ExceptionKind(models.TextChoices):
    SKIP = "skip", _("skipped")
    MOVE = "move", _("moved")


class SeriesException(models.Model):
    """One date of the rule that is skipped or moved to another moment."""

    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="exceptions")
    on = models.DateField(_("date of the rule"))
    kind = models.CharField(_("what happens"), max_length=10, choices=ExceptionKind.choices)
    moved_to = models.DateTimeField(_("moved to"), null=True, blank=True)

    class Meta:
        ordering = ["on"]
        constraints = [models.UniqueConstraint(fields=["series", "on"], name="unique_series_exception")]
        verbose_name = _("exception")
        verbose_name_plural = _("exceptions")

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.get_kind_display()}"
