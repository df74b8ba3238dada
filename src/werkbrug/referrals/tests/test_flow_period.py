"""The waiting lists' monthly flow reads only the period's events (the (to_line, at) and
(from_line, at) indexes): events before or after it do not count, those inside do."""

from __future__ import annotations

import datetime

from django.utils import timezone

from werkbrug.referrals.models import ReferralEvent, ReferralEventKind
from werkbrug.referrals.queries import first_of_month, monthly_flow


def test_only_the_period_s_events_count(net):
    net.refer(net.new_client())  # `kept`, submitted now: inflow of this month
    old = net.refer(net.new_client())
    start = timezone.make_aware(
        datetime.datetime.combine(first_of_month(timezone.localdate(), 11), datetime.time.min)
    )
    # One event a second before the period, one at its first moment.
    ReferralEvent.objects.filter(referral=old, kind=ReferralEventKind.SUBMITTED).update(
        at=start - datetime.timedelta(seconds=1)
    )
    inside = net.refer(net.new_client())
    ReferralEvent.objects.filter(referral=inside, kind=ReferralEventKind.SUBMITTED).update(at=start)
    months = monthly_flow([net.coach_line])[net.coach_line.pk]
    assert len(months) == 12
    assert months[0]["inflow"] == 1  # `inside`, not `old`
    assert months[-1]["inflow"] == 1  # `kept`
    assert sum(m["inflow"] for m in months) == 2
