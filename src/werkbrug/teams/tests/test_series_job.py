"""Planning the series' meetings ahead as a daily job keyed by its day (issue 19): a second run on
the same day does nothing; the next day's run plans again."""

from __future__ import annotations

import datetime

from django.conf import settings

from werkbrug.jobs.models import DoneMarker
from werkbrug.teams import tasks
from werkbrug.teams.models import Meeting
from werkbrug.teams.tests.test_series import START, monthly, second_tuesdays


def test_the_job_is_daily_and_plans_once_a_day(world):
    assert "werkbrug.teams.tasks.generate_meetings" in settings.JOBS_DAILY
    series = monthly(world)
    Meeting.objects.filter(series=series).delete()
    expected = [d for d in second_tuesdays(START, 4) if d <= datetime.date(2027, 4, 1)]
    assert tasks.generate_meetings.enqueue(START.isoformat()).return_value == len(expected) == 3
    assert sorted(Meeting.objects.filter(series=series).values_list("occurrence", flat=True)) == expected
    assert DoneMarker.objects.filter(job="generate_ahead", day=START).count() == 1
    Meeting.objects.filter(series=series, occurrence=expected[-1]).delete()
    # The same day again: done already, nothing planned (the deleted meeting stays away).
    assert tasks.generate_meetings.enqueue(START.isoformat()).return_value == 0
    assert Meeting.objects.filter(series=series).count() == 2
    # The next day plans again.
    assert tasks.generate_meetings.enqueue((START + datetime.timedelta(days=1)).isoformat()).return_value == 1
    assert Meeting.objects.filter(series=series).count() == 3
