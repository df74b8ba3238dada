"""The dated facts under the reports, in the database (SQLite and PostgreSQL): a trajectory's type and
lead organisation on a day from its handover history, GGZ contact periods written by the one writer,
and verification by a date."""

from __future__ import annotations

import dataclasses
import datetime

from werkbrug.clients import actions as client_actions
from werkbrug.clients.models import GgzContact
from werkbrug.network.models import Role, TrajectoryType
from werkbrug.reports import asof
from werkbrug.reports.framework import Params
from werkbrug.reports.tests import report_data as rd
from werkbrug.reports.yearly import trajectories_in
from werkbrug.testing import SIGNED, actor_for, make_user
from werkbrug.trajectories import actions as trajectory_actions
from werkbrug.trajectories.models import (
    Certainty,
    Economy,
    Handover,
    HandoverStatus,
    Outcome,
    OutcomeKind,
    Trajectory,
)


def params(day: str, *, start: str = "2010-01-01", as_of: str | None = None) -> Params:
    """A period ending on `day`, as of `as_of` (default: that day too)."""
    return Params(start=rd.d(start), end=rd.d(day), as_of=rd.d(as_of or day))


def as_of(trajectory: Trajectory, p: Params) -> tuple[str, str]:
    row = (
        asof.with_type_and_lead(Trajectory.objects.filter(pk=trajectory.pk), p)
        .values(asof.TYPE, asof.LEAD)
        .get()
    )
    return (
        TrajectoryType.objects.get(pk=row[asof.TYPE]).code,
        type(trajectory.lead_organisation).objects.get(pk=row[asof.LEAD]).name,
    )


def hand_over(trajectory, by, to, new_type, receiver, day):
    with rd.at(day):
        handover = trajectory_actions.propose_handover(
            actor_for(by), trajectory, to_organisation=to, new_type=TrajectoryType.objects.get(code=new_type),
            note="Overdracht.", evidence=SIGNED,
        )  # fmt: skip
        trajectory_actions.accept_handover(actor_for(receiver), handover)
    trajectory.refresh_from_db()
    return handover


def propose_and_decline(trajectory, by, to, decider, day):
    """A handover proposed and declined: it changes nothing."""
    with rd.at(day):
        declined = trajectory_actions.propose_handover(
            actor_for(by), trajectory, to_organisation=to, new_type=TrajectoryType.objects.get(code="ips"),
            note="Naar elders?", evidence=SIGNED,
        )  # fmt: skip
        trajectory_actions.decline_handover(actor_for(decider), declined, reason="Geen plaats.")


def test_type_and_lead_follow_the_handover_history_by_date(net):
    cgg_coach = make_user("cggcoach", net.other_care, Role.COACH)
    with rd.at("2014-02-01"):
        trajectory = rd.start_trajectory(net, net.new_client(), rd.SARA, "arbeidscoach")
    hand_over(trajectory, net.coach, net.gtb, "gtb", net.gtb_coach, "2014-06-10")
    propose_and_decline(trajectory, net.gtb_coach, net.sara, net.coordinator, "2014-08-01")
    hand_over(trajectory, net.gtb_coach, net.other_care, "ips", cgg_coach, "2015-03-01")
    trajectory.refresh_from_db()
    assert (trajectory.type.code, trajectory.lead_organisation) == ("ips", net.other_care)

    assert as_of(trajectory, params("2014-06-09")) == ("arbeidscoach", rd.SARA)
    assert as_of(trajectory, params("2014-06-10")) == ("gtb", rd.GTB)  # decided that day
    assert as_of(trajectory, params("2014-12-31")) == ("gtb", rd.GTB)
    assert as_of(trajectory, params("2015-03-01")) == ("ips", net.other_care.name)
    # The end of the period counts, also when the report is made later ...
    assert as_of(trajectory, params("2014-12-31", as_of="2026-01-01")) == ("gtb", rd.GTB)
    # ... and `as_of`, when it is earlier than the end.
    assert as_of(trajectory, params("2015-12-31", as_of="2014-03-01")) == ("arbeidscoach", rd.SARA)

    # The report's filters use the same values.
    p = params("2014-12-31", start="2014-01-01", as_of="2026-01-01")
    assert list(trajectories_in(dataclasses.replace(p, organisation=net.gtb))) == [trajectory]
    assert list(trajectories_in(dataclasses.replace(p, organisation=net.sara))) == []
    gtb = TrajectoryType.objects.get(code="gtb")
    assert list(trajectories_in(dataclasses.replace(p, type=gtb))) == [trajectory]
    assert list(trajectories_in(dataclasses.replace(p, type=gtb, end=rd.d("2014-06-09")))) == []


def test_the_organisation_filter_keeps_exactly_the_trajectories_led_on_the_day(net):
    """`asof.led_by` first narrows to the trajectories an organisation leads now or handed on or took
    over: on every day around a history of handovers (one declined) it keeps exactly those it led."""
    cgg_coach = make_user("cggcoach", net.other_care, Role.COACH)
    with rd.at("2014-02-01"):
        moved = rd.start_trajectory(net, net.new_client(), rd.SARA, "arbeidscoach")
        stayed = rd.start_trajectory(net, net.new_client(), rd.GTB, "gtb")
    hand_over(moved, net.coach, net.gtb, "gtb", net.gtb_coach, "2014-06-10")
    propose_and_decline(moved, net.gtb_coach, net.other_care, cgg_coach, "2014-08-01")
    hand_over(moved, net.gtb_coach, net.other_care, "ips", cgg_coach, "2015-03-01")

    # Who led `moved` on a day, written out from the history above.
    def moved_led_by(day: str):
        return net.sara if day < "2014-06-10" else net.gtb if day < "2015-03-01" else net.other_care

    days = ("2014-02-01", "2014-06-09", "2014-06-10", "2014-08-02", "2015-02-28", "2015-03-01", "2016-01-01")
    for day in days:
        for organisation in (net.sara, net.gtb, net.other_care):
            led = ((moved, moved_led_by(day)), (stayed, net.gtb))
            expected = {trajectory for trajectory, lead in led if lead == organisation}
            found = set(trajectories_in(dataclasses.replace(params(day), organisation=organisation)))
            assert found == expected, (day, organisation.name)


def test_has_any_finds_the_same_rows_from_the_set_and_per_row(net):
    """`asof.has_any` reads the network's set of links for a network run and looks each row up for
    one organisation's run (so that it does not read the network's): the same rows either way."""
    with rd.at("2014-02-01"):
        moved = rd.start_trajectory(net, net.new_client(), rd.SARA, "arbeidscoach")
        declined = rd.start_trajectory(net, net.new_client(), rd.SARA, "arbeidscoach")
        rd.start_trajectory(net, net.new_client(), rd.SARA, "arbeidscoach")
    hand_over(moved, net.coach, net.gtb, "gtb", net.gtb_coach, "2014-06-10")
    propose_and_decline(declined, net.coach, net.gtb, net.gtb_coach, "2014-07-01")
    accepted = Handover.objects.filter(status=HandoverStatus.ACCEPTED)
    network = params("2014-12-31")
    for p, correlated in ((network, False), (dataclasses.replace(network, organisation=net.sara), True)):
        found = Trajectory.objects.filter(asof.has_any(p, accepted, "trajectory"))
        assert list(found) == [moved]
        assert ('"trajectory_id" = ("trajectories_trajectory"."id")' in str(found.query)) is correlated


def test_a_trajectory_without_handovers_keeps_its_own_type_and_lead(net):
    with rd.at("2014-02-01"):
        trajectory = rd.start_trajectory(net, net.new_client(), rd.GTB, "gtb")
    assert as_of(trajectory, params("2014-02-01")) == ("gtb", rd.GTB)


def test_the_handover_records_the_type_it_leaves(net):
    with rd.at("2014-02-01"):
        trajectory = rd.start_trajectory(net, net.new_client(), rd.SARA, "ips")
    handover = hand_over(trajectory, net.coach, net.gtb, "gtb", net.gtb_coach, "2014-03-01")
    assert (handover.from_type.code, handover.new_type.code) == ("ips", "gtb")


def periods(client) -> list[tuple[datetime.date, datetime.date | None]]:
    return list(
        GgzContact.objects.filter(client=client).order_by("since", "pk").values_list("since", "until")
    )


def test_the_ggz_flag_is_written_as_dated_periods(net):
    with rd.at("2014-02-01"):
        client = net.new_client(ggz_contact=True)
        other = net.new_client(ggz_contact=False)
    assert periods(client) == [(rd.d("2014-02-01"), None)]
    assert periods(other) == []
    with rd.at("2016-05-01"):
        client.ggz_contact = False
        client_actions.update_client(actor_for(net.care), client, ["ggz_contact"])
        client_actions.update_client(actor_for(net.care), client, ["phone"])  # no change: no new period
    with rd.at("2017-01-01"):
        client.ggz_contact = True
        client_actions.update_client(actor_for(net.care), client, ["ggz_contact"])
    assert periods(client) == [(rd.d("2014-02-01"), rd.d("2016-05-01")), (rd.d("2017-01-01"), None)]

    def in_contact(start: str, end: str, as_of: str) -> bool:
        p = Params(start=rd.d(start), end=rd.d(end), as_of=rd.d(as_of))
        return type(client).objects.filter(pk=client.pk).filter(asof.in_ggz_contact(p, client="pk")).exists()

    assert in_contact("2014-01-01", "2014-12-31", "2026-01-01")  # switched off later: 2014 keeps it
    assert not in_contact("2016-06-01", "2016-12-31", "2026-01-01")  # off in that period
    assert in_contact("2016-06-01", "2017-06-30", "2026-01-01")  # on again in it
    assert not in_contact("2016-06-01", "2017-06-30", "2016-12-31")  # not yet known then
    assert not in_contact("2013-01-01", "2013-12-31", "2026-01-01")  # before the first period


def test_the_ggz_flag_through_the_api_patch_closes_the_period(net, client, frozen):
    from werkbrug.api.tests.conftest import ApiCaller

    person = net.new_client(ggz_contact=True)
    response = ApiCaller(client).patch(net.care, f"/api/clients/{person.pk}", {"ggz_contact": False})
    assert response.status_code == 200, response.content
    assert periods(person) == [(rd.NOW.date(), rd.NOW.date())]


def test_an_outcome_counts_as_verified_from_the_day_it_was_verified(net):
    with rd.at("2014-02-01"):
        trajectory = rd.start_trajectory(net, net.new_client(), rd.SARA, "arbeidscoach")
    with rd.at("2014-03-01"):
        outcome = trajectory_actions.record_outcome(
            actor_for(net.coach), trajectory, kind=OutcomeKind.PAID_WORK, on=rd.d("2014-03-01"),
            economy=Economy.NEC, certainty=Certainty.ESTIMATED,
        )  # fmt: skip
    with rd.at("2015-02-01"):
        trajectory_actions.verify_outcome(actor_for(net.coach), outcome, on=rd.d("2015-02-01"))

    def verified(as_of_day: str) -> bool:
        p = Params(start=rd.d("2014-01-01"), end=rd.d("2014-12-31"), as_of=rd.d(as_of_day))
        return Outcome.objects.filter(pk=outcome.pk).filter(asof.verified_by(p)).exists()

    assert not verified("2015-01-15")
    assert verified("2015-02-01")
    assert verified("2026-01-01")


def test_the_migration_fills_the_previous_type_of_older_handovers_from_the_history(net):
    import importlib

    from django.apps import apps

    from werkbrug.trajectories.models import Handover

    migration = importlib.import_module("werkbrug.trajectories.migrations.0005_handover_from_type")
    cgg_coach = make_user("cggcoach", net.other_care, Role.COACH)
    with rd.at("2014-02-01"):
        trajectory = rd.start_trajectory(net, net.new_client(), rd.SARA, "ips")
    first = hand_over(trajectory, net.coach, net.gtb, "gtb", net.gtb_coach, "2014-06-10")
    second = hand_over(trajectory, net.gtb_coach, net.other_care, "arbeidscoach", cgg_coach, "2015-03-01")
    Handover.objects.update(from_type=None)  # as before the column existed
    migration.backfill_from_type(apps, None)
    first.refresh_from_db()
    second.refresh_from_db()
    # The first one's previous type is the type the trajectory started with (its "started" event).
    assert (first.from_type.code, second.from_type.code) == ("ips", "gtb")
