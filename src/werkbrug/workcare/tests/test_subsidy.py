"""The subsidy rules of the decree (art. 20bis and 22; docs/workcare.md), with the expected values
worked out by hand in each test, not by the code under test."""

from __future__ import annotations

from decimal import Decimal

import pytest

from werkbrug.workcare import subsidy

AMOUNT = Decimal("22000")


def test_the_seeds_worked_example_gives_17600_a_year():
    # D = 20, 150 h a week: A = 150 / 30 = 5; cap D / 5 = 4, so 4 counted; 4 / 5 = 0.8 support FTE;
    # 0.8 x 22,000 = 17,600.
    result = subsidy.calculate(Decimal(20), Decimal(150), AMOUNT)
    assert result.eligible
    assert result.workcare_fte == Decimal(5)
    assert result.cap == Decimal(4)
    assert result.capped
    assert result.counted_fte == Decimal(4)
    assert result.support_fte == Decimal("0.8")
    assert result.yearly_amount == Decimal("17600.00")


def test_a_workshop_with_nine_target_group_fte_gets_nothing():
    result = subsidy.calculate(Decimal(9), Decimal(150), AMOUNT)
    assert not result.eligible
    assert result.counted_fte == 0
    assert result.yearly_amount == Decimal("0.00")


def test_ten_target_group_fte_is_enough():
    # D = 10: cap 2; 60 h a week = A 2, not above the cap; 2 / 5 = 0.4; 0.4 x 22,000 = 8,800.
    assert subsidy.calculate(Decimal(10), Decimal(60), AMOUNT).yearly_amount == Decimal("8800.00")


def test_a_large_workshop_with_few_hours_is_not_capped():
    # D = 50: cap 10. 45 h a week = A 1.5; counted 1.5; 1.5 / 5 = 0.3; 0.3 x 22,000 = 6,600.
    result = subsidy.calculate(Decimal(50), Decimal(45), AMOUNT)
    assert not result.capped
    assert result.counted_fte == Decimal("1.5")
    assert result.support_fte == Decimal("0.3")
    assert result.yearly_amount == Decimal("6600.00")


def test_the_amount_per_support_fte_is_the_years_own():
    # 0.8 support FTE x 25,000 = 20,000.
    assert subsidy.calculate(Decimal(20), Decimal(150), Decimal("25000")).yearly_amount == Decimal("20000.00")


def test_a_month_is_paid_pro_rata_to_the_activity_performed():
    # A month counts 52/12 weeks. D = 50 (cap 10, never reached here).
    # Full activity: 150 h a week x 52/12 = 650 h in the month -> A 5 -> 1 support FTE ->
    # 22,000 / 12 = 1,833.33 (1,833.333... rounded half up).
    full = subsidy.month(2026, 3, Decimal(50), Decimal(650), AMOUNT)
    assert full.calculation.workcare_fte == Decimal(5)
    assert full.amount == Decimal("1833.33")
    # Half the activity: 325 h -> A 2.5 -> 0.5 support FTE -> 11,000 / 12 = 916.666... -> 916.67.
    half = subsidy.month(2026, 3, Decimal(50), Decimal(325), AMOUNT)
    assert half.calculation.support_fte == Decimal("0.5")
    assert half.amount == Decimal("916.67")


def test_a_month_of_the_seeds_example_is_a_twelfth_of_17600():
    # 650 h in a month = 150 h a week; capped at 4 -> 0.8 -> 17,600 / 12 = 1,466.666... -> 1,466.67.
    assert subsidy.month(2026, 1, Decimal(20), Decimal(650), AMOUNT).amount == Decimal("1466.67")


def test_the_year_is_the_sum_of_its_months():
    # Six months of 650 h at D = 20: 6 x 1,466.67 = 8,800.02; the other months nothing.
    year = subsidy.year(2026, Decimal(20), {m: Decimal(650) for m in range(1, 7)}, AMOUNT)
    assert [m.amount for m in year.months[:7]] == [Decimal("1466.67")] * 6 + [Decimal("0.00")]
    assert year.hours == Decimal(3900)
    assert year.amount == Decimal("8800.02")


def test_negative_input_is_refused():
    with pytest.raises(ValueError):
        subsidy.calculate(Decimal(20), Decimal(-1), AMOUNT)
