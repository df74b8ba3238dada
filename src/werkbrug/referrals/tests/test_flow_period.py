"""The waiting lists' monthly flow reads only the period's events (the (to_line, at, kind, from_line)
and (from_line, at, kind, to_line) indexes): events before or after it do not count, those inside do."""

from __future__ import annotations

import datetime

from django.utils import timezone

from werkbrug.referrals.models import ReferralEvent, ReferralEventKind
from werkbrug.referrals.queries import first_of_month, monthly_flow
from werkbrug.testing import query_plan


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


def test_a_line_s_flow_reads_the_index_alone(net):
    """SQLite's plan: both halves of the flow query search a covering index (no lookup in the table
    per event: a busy line has thousands a year). PostgreSQL chooses by statistics that a test
    database does not have (its plan at full scale is in docs/bench.md, section 2b)."""
    from django.db import connection

    from werkbrug.core import statements

    monthly_flow([net.coach_line])
    key = next(key for key in statements._STATEMENTS._kept if key[0] == "referral flow")
    sql, params = statements._STATEMENTS.get(key)  # type: ignore[misc]
    plan = query_plan(sql, params)
    if connection.vendor == "sqlite":
        assert "COVERING INDEX referrals_event_to_line_flow" in plan
        assert "COVERING INDEX referrals_event_from_line_flow" in plan
    else:
        assert "referralevent" in plan


def test_a_redirect_is_outflow_of_the_line_it_leaves_and_inflow_of_the_other(net):
    from werkbrug.referrals.models import Referral

    referral = net.refer(net.new_client())
    ReferralEvent.objects.create(
        referral=Referral.objects.get(pk=referral.pk),
        kind=ReferralEventKind.REDIRECTED,
        from_line=net.coach_line,
        to_line=net.gtb_line,
        by=net.screener,
        organisation=net.coach_line.organisation,
    )
    flows = monthly_flow([net.coach_line, net.gtb_line])
    this_month = {line: (months[-1]["inflow"], months[-1]["outflow"]) for line, months in flows.items()}
    # The coach line: submitted (in), redirected away (out); the GTB line: redirected to it (in).
    assert this_month == {net.coach_line.pk: (1, 1), net.gtb_line.pk: (1, 0)}
