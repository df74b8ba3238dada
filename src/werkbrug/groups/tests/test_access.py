"""Who sees which participant (issue 18: participants see nothing of each other): the run's
organisation sees the list, another coach who enrolled a client sees only their own client(s), anyone
else gets 404; each page refuses outsiders, and lists run a constant number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from werkbrug.groups import actions
from werkbrug.groups.models import Enrolment, EnrolmentStatus, Run
from werkbrug.groups.tests.helpers import enrol_new, gtb_trajectory, plan_run
from werkbrug.testing import actor_for

pytestmark = pytest.mark.django_db


def test_an_outsider_gets_404_on_a_participant_list(net, login):
    run = plan_run(net)
    enrol_new(net, run, last_name="Zichtbaar")
    url = reverse("groups:participants", args=[run.pk])
    for user in (net.outsider, net.gtb_coach, net.funder, net.admin, net.care, net.screener):
        assert login(user).get(url).status_code == 404, user
    assert "Zichtbaar" in login(net.coach).get(url).content.decode()
    assert "Zichtbaar" in login(net.coordinator).get(url).content.decode()


def test_another_coach_sees_only_their_own_client(net, login):
    run = plan_run(net)
    enrol_new(net, run, last_name="Vanderzande")
    own = actions.enrol(actor_for(net.gtb_coach), run, gtb_trajectory(net))
    page = login(net.gtb_coach).get(reverse("groups:participants", args=[run.pk])).content.decode()
    assert "Gijsels" in page and "Vanderzande" not in page
    # The run's organisation sees both.
    staff_page = login(net.coach).get(reverse("groups:participants", args=[run.pk])).content.decode()
    assert "Gijsels" in staff_page and "Vanderzande" in staff_page
    # The other coach may withdraw their own client, but not plan the run.
    web = login(net.gtb_coach)
    assert web.get(reverse("groups:placement", args=[run.pk, own.pk])).status_code == 404
    assert web.get(reverse("groups:session_add", args=[run.pk])).status_code == 404
    assert web.post(reverse("groups:withdraw", args=[run.pk, own.pk])).status_code == 302
    assert Enrolment.objects.get(pk=own.pk).status == EnrolmentStatus.WITHDRAWN


def test_the_other_coach_cannot_act_on_someone_elses_participant(net, login):
    run = plan_run(net)
    theirs = enrol_new(net, run)
    web = login(net.gtb_coach)
    for name in ("withdraw", "accept", "placement", "outcome"):
        url = reverse(f"groups:{name}", args=[run.pk, theirs.pk])
        assert web.get(url).status_code == 404, name
        assert web.post(url, {"outcome": "ips", "name": "x"}).status_code == 404, name
    assert Enrolment.objects.get(pk=theirs.pk).status == EnrolmentStatus.ENROLLED


def test_outsiders_get_404_on_every_group_page(net, login):
    run = plan_run(net)
    a = enrol_new(net, run)
    session = actions.add_session(actor_for(net.coach), run, on=run.starts_on)
    urls = [
        reverse("groups:runs"),
        reverse("groups:run_create"),
        reverse("groups:run", args=[run.pk]),
        reverse("groups:participants", args=[run.pk]),
        reverse("groups:enrol", args=[run.pk]),
        reverse("groups:session_add", args=[run.pk]),
        reverse("groups:attendance", args=[run.pk, session.pk]),
        reverse("groups:withdraw", args=[run.pk, a.pk]),
        reverse("groups:placement", args=[run.pk, a.pk]),
        reverse("groups:outcome", args=[run.pk, a.pk]),
    ]
    for user in (net.outsider, net.funder, net.admin):
        web = login(user)
        for url in urls:
            assert web.get(url).status_code == 404, (user, url)
            assert web.post(url, {}).status_code == 404, (user, url)
    for url in (reverse("groups:templates"), reverse("groups:template_create")):
        assert login(net.coach).get(url).status_code == 404
    assert Enrolment.objects.get(pk=a.pk).status == EnrolmentStatus.ENROLLED


def test_a_missing_run_is_404(net, login):
    web = login(net.coach)
    assert web.get(reverse("groups:run", args=[999999])).status_code == 404
    assert web.get(reverse("groups:participants", args=[999999])).status_code == 404


def test_enrolling_through_the_page_and_twice(net, login):
    run = plan_run(net)
    trajectory = net.trajectory()
    url = reverse("groups:enrol", args=[run.pk])
    web = login(net.coach)
    data = {"trajectory": trajectory.pk, "trajectory__q": str(trajectory.client)}
    assert web.post(url, data).status_code == 302
    again = web.post(url, data)
    assert again.status_code == 200 and "already on this module" in again.content.decode()
    assert Enrolment.objects.count() == 1
    # A trajectory of another team is not in the chooser's rows: a form error, nothing written.
    other = gtb_trajectory(net)
    refused = web.post(url, {"trajectory": other.pk, "trajectory__q": str(other.client)})
    assert refused.status_code == 200 and Enrolment.objects.count() == 1


def test_planning_a_run_with_bad_input(net, login):
    from werkbrug.groups.tests.helpers import job_radar

    web = login(net.coordinator)
    url = reverse("groups:run_create")
    bad = web.post(
        url,
        {"template": job_radar().pk, "starts_on": "3000-01-01", "place": "", "coaches": [net.gtb_coach.pk]},
    )
    assert bad.status_code == 200 and not Run.objects.exists()
    good = web.post(
        url,
        {
            "template": job_radar().pk,
            "starts_on": "2026-09-07",
            "place": "De Brug",
            "coaches": [net.coach.pk],
        },
    )
    assert good.status_code == 302
    run = Run.objects.get()
    assert (run.organisation, list(run.coaches.all())) == (net.sara, [net.coach])


@pytest.mark.parametrize("n", [1, 8])
def test_the_group_lists_run_a_constant_number_of_queries(net, login, n, django_assert_max_num_queries):
    runs = [plan_run(net, place=f"Lokaal {i}") for i in range(2)]
    for _ in range(n):
        enrol_new(net, runs[0])
    for run in runs:
        actions.add_session(actor_for(net.coach), run, on=run.starts_on)
    web = login(net.coordinator)
    for url in (
        reverse("groups:runs"),
        reverse("groups:run", args=[runs[0].pk]),
        reverse("groups:participants", args=[runs[0].pk]),
    ):
        with django_assert_max_num_queries(22):
            assert web.get(url).status_code == 200


def test_withdrawing_twice_is_refused_the_second_time(net, login):
    run = plan_run(net)
    a = enrol_new(net, run)
    url = reverse("groups:withdraw", args=[run.pk, a.pk])
    web = login(net.coach)
    assert web.post(url).status_code == 302
    again = web.post(url)
    assert again.status_code == 200 and "already withdrawn" in again.content.decode()


def test_a_session_with_a_bad_date_is_refused_on_the_page(net, login):
    run = plan_run(net)
    web = login(net.coach)
    url = reverse("groups:session_add", args=[run.pk])
    for bad in ("not a date", "1850-01-01", (run.ends_on.replace(year=run.ends_on.year + 1)).isoformat()):
        assert web.post(url, {"on": bad}).status_code == 200
    assert web.post(url, {"on": run.starts_on.isoformat(), "topic": "Start"}).status_code == 302
    twice = web.post(url, {"on": run.starts_on.isoformat(), "topic": "Start"})
    assert "already a session" in twice.content.decode()
    assert run.sessions.count() == 1


def test_opening_the_attendance_page_writes_one_list_row(net, login):
    from werkbrug.core.models import AuditEvent

    run = plan_run(net)
    enrol_new(net, run)
    session = actions.add_session(actor_for(net.coach), run, on=run.starts_on)
    login(net.coach).get(reverse("groups:attendance", args=[run.pk, session.pk]))
    rows = AuditEvent.objects.filter(action="list", object_type="groups:attendance")
    assert [(r.user, r.object_id) for r in rows] == [(net.coach, session.pk)]
