"""The yearly settings of work-care (network admin): the subsidy amount, the hours ceilings per benefit
and the volunteer allowance ceilings; anyone else gets 404; bad input is refused and writes nothing;
the same form posted twice stores one row. And the warning on an allowance above the ceilings."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from werkbrug.testing import actor_for
from werkbrug.workcare import benefits, config
from werkbrug.workcare.models import AllowanceCeiling, BenefitCeiling, DayHours, SubsidyRate
from werkbrug.workcare.subsidy import DEFAULT_AMOUNT_PER_FTE
from werkbrug.workcare.tests.data import agreement, workcare_trajectory, workshop
from werkbrug.workcare.views import amount_per_fte

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_december_2026():
    with time_machine.travel(datetime.datetime(2026, 12, 1, 12), tick=False):
        yield


PAGES = {
    "workcare:settings": {},
    "workcare:settings_subsidy": {"year": "2027", "amount_per_fte": "23000"},
    "workcare:settings_ceiling": {"year": "2027", "regime": "rva", "hours_per_week": "26"},
    "workcare:settings_allowance": {"year": "2027", "per_day": "26.50", "per_year": "1050.00"},
}


def rows() -> list[object]:
    return [
        *SubsidyRate.objects.values_list("year", "amount_per_fte"),
        *BenefitCeiling.objects.values_list("year", "regime", "hours_per_week"),
        *AllowanceCeiling.objects.values_list("year", "per_day", "per_year"),
    ]


@pytest.mark.parametrize("who", ["coach", "coordinator", "funder", "care", "screener"])
def test_anyone_but_the_network_admin_gets_404_and_writes_nothing(net, login, who):
    page = login(getattr(net, who))
    for name, data in PAGES.items():
        assert page.get(reverse(name)).status_code == 404, name
        assert page.post(reverse(name), data).status_code == 404, name
    assert rows() == []


def test_the_network_admin_sets_each_value_of_a_year(net, login):
    page = login(net.admin)
    for name, data in PAGES.items():
        assert page.get(reverse(name)).status_code == 200, name
        if data:
            assert page.post(reverse(name), data).status_code == 302, name
    assert SubsidyRate.objects.get(year=2027).amount_per_fte == Decimal("23000")
    assert benefits.ceilings(2027)["rva"] == Decimal(26)
    assert benefits.ceilings(2027)["ocmw"] == Decimal(30)  # the default still
    assert config.allowance_ceiling(2027) == (Decimal("26.50"), Decimal("1050.00"))
    assert config.allowance_ceiling(2026) == (Decimal("24.76"), Decimal("991.57"))  # the seed's 2008 example
    html = page.get(reverse("workcare:settings")).content.decode()
    assert "23000" in html and "1050.00" in html and "26.50" in html


def test_the_same_form_posted_twice_stores_one_row_and_a_new_value_replaces_it(net, login):
    page = login(net.admin)
    for name, data in PAGES.items():
        if data:
            page.post(reverse(name), data)
            page.post(reverse(name), data)
    assert len(rows()) == 3
    page.post(reverse("workcare:settings_allowance"), {"year": "2027", "per_day": "27", "per_year": "1100"})
    assert list(AllowanceCeiling.objects.values_list("year", "per_day", "per_year")) == [
        (2027, Decimal("27.00"), Decimal("1100.00"))
    ]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("workcare:settings_subsidy", {"year": "2027", "amount_per_fte": "-5"}),
        ("workcare:settings_subsidy", {"year": "2027", "amount_per_fte": "0"}),
        ("workcare:settings_subsidy", {"year": "1999", "amount_per_fte": "22000"}),
        ("workcare:settings_subsidy", {"year": "2027", "amount_per_fte": "lots"}),
        ("workcare:settings_ceiling", {"year": "2027", "regime": "mutualiteit", "hours_per_week": "20"}),
        ("workcare:settings_ceiling", {"year": "2027", "regime": "rva", "hours_per_week": "200"}),
        ("workcare:settings_ceiling", {"year": "2027", "regime": "rva", "hours_per_week": "0"}),
        ("workcare:settings_allowance", {"year": "2027", "per_day": "30", "per_year": "20"}),
        ("workcare:settings_allowance", {"year": "2027", "per_day": "-1", "per_year": "900"}),
        ("workcare:settings_allowance", {"year": "2027", "per_day": "", "per_year": "900"}),
    ],
)
def test_bad_input_is_refused_with_a_message_and_writes_nothing(net, login, name, data):
    response = login(net.admin).post(reverse(name), data)
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode() or "error" in response.content.decode()
    assert rows() == []


def test_the_statement_uses_the_years_own_subsidy_amount(net, login):
    assert amount_per_fte(2026) == DEFAULT_AMOUNT_PER_FTE
    login(net.admin).post(reverse("workcare:settings_subsidy"), {"year": "2026", "amount_per_fte": "11000"})
    assert amount_per_fte(2026) == Decimal("11000")
    assert amount_per_fte(2025) == DEFAULT_AMOUNT_PER_FTE


def test_the_settings_page_runs_a_constant_number_of_queries(net, login, django_assert_max_num_queries):
    page = login(net.admin)
    for year in range(2020, 2030):
        page.post(reverse("workcare:settings_subsidy"), {"year": str(year), "amount_per_fte": "22000"})
        page.post(
            reverse("workcare:settings_allowance"), {"year": str(year), "per_day": "25", "per_year": "1000"}
        )
    with django_assert_max_num_queries(12):
        assert page.get(reverse("workcare:settings")).status_code == 200


# --- the warning on an allowance above the ceilings ----------------------------------------------


def _with_days(net, per_day: str, days: int):
    """An agreement from 1/1/2026 with this allowance a day, and `days` days with hours in 2026."""
    shop = workshop(net)
    trajectory = workcare_trajectory(net)
    deal = agreement(net, trajectory, shop, allowance_per_day=Decimal(per_day))
    first = datetime.date(2026, 1, 1)
    DayHours.objects.bulk_create(
        DayHours(
            workshop=shop,
            trajectory=trajectory,
            day=first + datetime.timedelta(days=i),
            hours=Decimal(3),
            recorded_by=net.coach,
        )
        for i in range(days)
    )
    return deal


def _warnings(net, login, deal) -> str:
    with time_machine.travel(datetime.datetime(2026, 12, 1, 12), tick=False):
        html = (
            login(net.coach)
            .get(reverse("workcare:agreement", args=[deal.trajectory_id, deal.pk]))
            .content.decode()
        )
    return " ".join(kind for kind in ("day", "year") if f'data-allowance="{kind}"' in html)


def set_2026(net):
    config.set_allowance_ceiling(
        actor_for(net.admin), year=2026, per_day=Decimal("20.00"), per_year=Decimal("1000.00")
    )


def test_an_allowance_at_both_ceilings_gets_no_warning(net, login):
    set_2026(net)
    deal = _with_days(net, "20.00", 50)  # 50 x 20 = 1000: at the year's ceiling, not above
    assert _warnings(net, login, deal) == ""


def test_an_allowance_a_cent_above_the_day_ceiling_gets_a_warning(net, login):
    set_2026(net)
    deal = _with_days(net, "20.01", 1)
    assert _warnings(net, login, deal) == "day"


def test_one_day_more_than_the_year_allows_gets_a_warning(net, login):
    set_2026(net)
    deal = _with_days(net, "20.00", 51)  # 1020 > 1000
    assert _warnings(net, login, deal) == "year"
    check = config.check_allowance(deal, 2026)
    assert (check.days, check.year_total) == (51, Decimal("1020.00"))


def test_without_a_row_the_seeds_2008_ceilings_apply(net, login):
    deal = _with_days(net, "24.77", 1)  # a cent above € 24.76
    assert _warnings(net, login, deal) == "day"


def test_a_negative_allowance_is_refused_on_the_agreement_form(net, login):
    shop = workshop(net)
    trajectory = workcare_trajectory(net)
    response = login(net.coach).post(
        reverse("workcare:agreement_new", args=[trajectory.pk]),
        {
            "workshop": shop.pk,
            "form": "atelier",
            "aim": "onward",
            "starts_on": "2026-01-01",
            "allowance_per_day": "-3",
        },
    )
    assert response.status_code in (200, 400)
    assert not trajectory.workcare_agreements.exists()
