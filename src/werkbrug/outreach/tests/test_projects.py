"""Projects and money: the commitment against realisation per month, the financing rule
(at most €750 per committed person, 80 % on costs, the result part following the registrations),
configurable per year; outsiders, bad input, double submit."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from werkbrug.core.exceptions import DomainError
from werkbrug.outreach import path_actions, project_actions
from werkbrug.outreach.models import Commitment, Destination, FinancingRule, PathChannel, Project
from werkbrug.outreach.tests.data import MONDAY, site
from werkbrug.testing import actor_for


@pytest.fixture
def project(net, frozen):
    s = site(net)
    boss = actor_for(net.coordinator)
    p = project_actions.create_project(
        boss,
        name="Vindplaats Antwerpen",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
    )
    project_actions.add_site(boss, p, site=s)
    project_actions.set_commitment(boss, p, year=2026, registrations=120)
    return p, s


def refer(net, s, on, destination=Destination.VDAB, verified=None):
    coach = actor_for(net.coach)
    path = path_actions.start_path(coach, s, first_name="X", channel=PathChannel.HOURS, started_on=on)
    r = path_actions.refer_onward(coach, path, destination=destination, referred_on=on)
    if verified:
        path_actions.verify_referral(coach, r, on=verified)
    return r


def test_the_commitment_page_counts_vdab_registrations_per_month(net, login, project):
    p, s = project
    refer(net, s, datetime.date(2026, 3, 10))
    refer(net, s, datetime.date(2026, 3, 20), verified=datetime.date(2026, 4, 2))
    refer(net, s, datetime.date(2026, 11, 5))
    refer(net, s, datetime.date(2026, 11, 6), destination=Destination.TRAINING)  # not a registration
    other = site(net, name="Huisartsenpraktijk Noord")  # not in the project
    refer(net, other, datetime.date(2026, 11, 6))
    committed, months, realised = project_actions.months(p, 2026)
    assert (committed, realised) == (120, 3)
    by_month = {m.month: (m.committed, m.realised, m.verified, m.realised_total) for m in months}
    assert by_month[3] == (30, 2, 1, 2)
    assert by_month[11] == (110, 1, 0, 3)
    assert by_month[12] == (120, 0, 0, 3)
    page = login(net.coach).get(reverse("outreach:project", args=[p.pk]) + "?year=2026")
    assert 'data-realised="3"' in page.content.decode()


def test_money_follows_the_seed_and_the_rule_of_the_year(net, project):
    # 120 committed: budget 90,000; 80 % on costs; the result part 18,000 * 3/120.
    m = project_actions.money(120, 3, 2026)
    assert (m.budget, m.cost_part, m.result_part, m.result_realised) == (
        Decimal("90000.00"),
        Decimal("72000.00"),
        Decimal("18000.00"),
        Decimal("450.00"),
    )
    # More than committed does not pay more.
    assert project_actions.money(120, 200, 2026).result_realised == Decimal("18000.00")
    project_actions.set_financing_rule(
        actor_for(net.admin), year=2026, per_person=Decimal("600"), cost_percent=70
    )
    m = project_actions.money(10, 5, 2026)
    assert (m.budget, m.cost_part, m.result_part, m.result_realised) == (
        Decimal("6000.00"),
        Decimal("4200.00"),
        Decimal("1800.00"),
        Decimal("900.00"),
    )
    assert project_actions.money(10, 5, 2027).budget == Decimal("7500.00")  # 2027: the default


@pytest.mark.parametrize("who", ["gtb_coach", "funder", "care", "admin"])
def test_outsiders_get_404_on_the_project_pages(net, login, project, who):
    p, _s = project
    user = login(getattr(net, who))
    assert user.get(reverse("outreach:project", args=[p.pk])).status_code == 404
    for name in ("commitment", "project_site", "project_coach"):
        url = reverse(f"outreach:{name}", args=[p.pk])
        assert user.get(url).status_code == 404
        assert user.post(url, {"year": "2026", "registrations": "1"}).status_code == 404
    assert Commitment.objects.get().registrations == 120


def test_only_a_network_admin_sets_the_financing_rule(net, login, frozen):
    data = {"year": "2026", "per_person": "700", "cost_percent": "75"}
    for who in ("coordinator", "coach", "funder"):
        assert login(getattr(net, who)).post(reverse("outreach:financing_edit"), data).status_code == 404
    assert login(net.admin).post(reverse("outreach:financing_edit"), data).status_code == 302
    assert FinancingRule.objects.get().per_person == Decimal("700")
    bad = login(net.admin).post(reverse("outreach:financing_edit"), {**data, "cost_percent": "130"})
    assert bad.status_code == 400


@pytest.mark.parametrize(
    "data", [{"year": "2031", "registrations": "5"}, {"year": "2026", "registrations": "-3"}, {"year": "x"}]
)
def test_a_bad_commitment_is_refused_and_changes_nothing(net, login, project, data):
    p, _s = project
    response = login(net.coordinator).post(reverse("outreach:commitment", args=[p.pk]), data)
    assert response.status_code == 400
    assert list(Commitment.objects.values_list("year", "registrations")) == [(2026, 120)]


def test_a_double_submitted_commitment_writes_one_row(net, login, project):
    p, _s = project
    page = login(net.coordinator)
    for _ in range(2):
        page.post(reverse("outreach:commitment", args=[p.pk]), {"year": "2027", "registrations": "150"})
    assert list(Commitment.objects.filter(year=2027).values_list("registrations", flat=True)) == [150]


def test_a_project_takes_only_its_own_organisations_sites_and_coaches(net, project):
    p, _s = project
    boss = actor_for(net.coordinator)
    gtb_site = site(net, name="GTB site")
    gtb_site.run_by = net.gtb_coach.memberships.get().organisation
    gtb_site.save()
    with pytest.raises(DomainError):
        project_actions.add_site(boss, p, site=gtb_site)
    with pytest.raises(DomainError):
        project_actions.add_coach(boss, p, coach=net.gtb_coach)
    project_actions.add_coach(boss, p, coach=net.coach)
    assert list(Project.objects.get().coaches.all()) == [net.coach]
    with pytest.raises(DomainError):
        project_actions.create_project(
            actor_for(net.coach), name="x", starts_on=MONDAY.date(), ends_on=MONDAY.date()
        )


def test_a_double_submitted_new_project_is_created_once(net, login, frozen):
    page = login(net.coordinator)
    data = {"name": "Vindplaats Gent", "starts_on": "2026-01-01", "ends_on": "2026-12-31"}
    assert page.post(reverse("outreach:project_new"), data).status_code == 302
    assert page.post(reverse("outreach:project_new"), data).status_code == 400
    assert Project.objects.filter(name="Vindplaats Gent").count() == 1


def test_the_financing_page_is_for_the_network_admin_and_coordinators_only(net, login, frozen):
    for who in ("coach", "funder", "care", "gtb_coach"):
        assert login(getattr(net, who)).get(reverse("outreach:financing")).status_code == 404, who
    for who in ("coach", "funder", "care"):
        assert login(getattr(net, who)).get(reverse("outreach:project_new")).status_code == 404, who
    assert login(net.admin).get(reverse("outreach:financing")).status_code == 200
    assert login(net.coordinator).get(reverse("outreach:financing")).status_code == 200


def test_the_project_pages_run_a_constant_number_of_queries(
    net, login, project, django_assert_max_num_queries
):
    p, s = project
    page = login(net.coordinator)
    refer(net, s, datetime.date(2026, 3, 10))
    urls = [reverse("outreach:project", args=[p.pk]) + "?year=2026", reverse("outreach:projects")]
    counts = []
    for url in urls:
        with django_assert_max_num_queries(20) as captured:
            assert page.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    boss = actor_for(net.coordinator)
    for i in range(6):
        refer(net, s, datetime.date(2026, 1 + i, 10), verified=datetime.date(2026, 1 + i, 20))
        project_actions.create_project(
            boss, name=f"P{i}", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31)
        )
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            page.get(url)


def test_the_project_page_shows_the_financing_split_worked_out_from_the_seed_rule(net, login, project):
    """Seed rule (no FinancingRule row for 2026): at most 750 euro for each of the 120 committed
    persons = 90,000; 80 % on costs = 72,000; 20 % on results = 18,000, of which realised 2 of 120
    registrations: 18,000 * 2 / 120 = 300."""
    p, s = project
    refer(net, s, datetime.date(2026, 2, 10))
    refer(net, s, datetime.date(2026, 5, 10), verified=datetime.date(2026, 6, 1))
    refer(net, s, datetime.date(2026, 5, 11), destination=Destination.TRAINING)  # no registration
    html = (
        login(net.coordinator).get(reverse("outreach:project", args=[p.pk]) + "?year=2026").content.decode()
    )
    assert 'data-budget="90000.00"' in html
    assert 'data-cost-part="72000.00"' in html
    assert 'data-result-part="18000.00"' in html
    assert 'data-result-realised="300.00"' in html
    # A network admin's rule for the year changes the page: 500 euro, 60 % on costs.
    project_actions.set_financing_rule(
        actor_for(net.admin), year=2026, per_person=Decimal("500"), cost_percent=60
    )
    html = (
        login(net.coordinator).get(reverse("outreach:project", args=[p.pk]) + "?year=2026").content.decode()
    )
    # 120 * 500 = 60,000; 60 % = 36,000; results 24,000, realised 24,000 * 2 / 120 = 400.
    assert 'data-budget="60000.00"' in html and 'data-cost-part="36000.00"' in html
    assert 'data-result-realised="400.00"' in html
