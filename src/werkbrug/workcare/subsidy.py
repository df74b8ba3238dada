"""The support subsidy for work-care in a social workshop (omkaderingssubsidie): a pure calculation.

The rules (Decree of the Flemish Government of 14 December 2001, seed 004):

1. Art. 20bis §1 (L5570-5580): only a recognised social workshop with at least 10 FTE recognised
   target-group employees (D) may claim it.
2. Art. 22 (L5692-5705): 30 hours of work-like activity a week count as one FTE of work-care; the
   hours actually performed count pro rata. So A = actual hours a week / 30.
3. Art. 20bis §1, second paragraph (L5578-5580): at most one work-care FTE per 5 target-group FTE is
   counted: A is counted up to D / 5.
4. Art. 20bis §1 (L5574-5577): one support FTE is funded per 5 work-care FTE: support = counted A / 5.
5. Art. 20bis §2 (L5592-5594): €22,000 a year per support FTE (configurable per year: `SubsidyRate`).
6. Art. 22 (L5668-5705): paid monthly, only in proportion to the activity actually performed.

A month's activity is turned into a weekly figure with 13/3 weeks a month (52 weeks / 12 months, the
usual Belgian payroll convention), so a month of 30 h every week is 130 h = 1 FTE, whatever the
number of days in the month; the month's amount is the yearly amount for that FTE / 12. Every step
is returned, so the statement page shows the whole calculation. Decimals throughout; amounts are
rounded to the cent (half up) only at the end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MINIMUM_TARGET_GROUP_FTE = Decimal(10)
HOURS_PER_FTE_WEEK = Decimal(30)
WORKCARE_FTE_PER_TARGET_GROUP_FTE = Decimal(5)  # at most 1 work-care FTE per 5 target-group FTE
WORKCARE_FTE_PER_SUPPORT_FTE = Decimal(5)  # 1 support FTE per 5 work-care FTE
DEFAULT_AMOUNT_PER_FTE = Decimal("22000.00")
WEEKS_PER_MONTH = Decimal(52) / Decimal(12)
MONTHS = Decimal(12)
CENT = Decimal("0.01")


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Calculation:
    """One application of the rules: every step, for the statement page."""

    target_group_fte: Decimal  # D
    hours_per_week: Decimal  # actual hours a week (for a month: its hours * 3 / 13)
    eligible: bool  # D ≥ 10
    workcare_fte: Decimal  # A = hours a week / 30
    cap: Decimal  # D / 5
    capped: bool  # A > D / 5
    counted_fte: Decimal  # min(A, D / 5), 0 when not eligible
    support_fte: Decimal  # counted A / 5
    amount_per_fte: Decimal  # a year
    yearly_amount: Decimal  # support FTE * amount, to the cent


def calculate(target_group_fte: Decimal, hours_per_week: Decimal, amount_per_fte: Decimal) -> Calculation:
    """The yearly subsidy for a workshop with D target-group FTE and this many hours a week."""
    if target_group_fte < 0 or hours_per_week < 0 or amount_per_fte < 0:
        raise ValueError("negative input")
    eligible = target_group_fte >= MINIMUM_TARGET_GROUP_FTE
    workcare_fte = hours_per_week / HOURS_PER_FTE_WEEK
    cap = target_group_fte / WORKCARE_FTE_PER_TARGET_GROUP_FTE
    counted = min(workcare_fte, cap) if eligible else Decimal(0)
    support = counted / WORKCARE_FTE_PER_SUPPORT_FTE
    return Calculation(
        target_group_fte=target_group_fte,
        hours_per_week=hours_per_week,
        eligible=eligible,
        workcare_fte=workcare_fte,
        cap=cap,
        capped=eligible and workcare_fte > cap,
        counted_fte=counted,
        support_fte=support,
        amount_per_fte=amount_per_fte,
        yearly_amount=cents(support * amount_per_fte),
    )


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    hours: Decimal  # hours actually performed in the month
    calculation: Calculation  # on the month's weekly figure
    amount: Decimal  # the month's payment: the yearly amount for this activity / 12, to the cent


def month(
    year: int, month_number: int, target_group_fte: Decimal, hours: Decimal, amount_per_fte: Decimal
) -> Month:
    """One month's payment, pro rata to the hours actually performed in it (art. 22)."""
    per_week = hours / WEEKS_PER_MONTH
    calculation = calculate(target_group_fte, per_week, amount_per_fte)
    yearly_exact = calculation.support_fte * amount_per_fte
    return Month(year, month_number, hours, calculation, cents(yearly_exact / MONTHS))


@dataclass(frozen=True)
class Year:
    year: int
    months: list[Month]
    hours: Decimal
    amount: Decimal  # the sum of the monthly payments


def year(
    year_number: int, target_group_fte: Decimal, hours_by_month: dict[int, Decimal], amount_per_fte: Decimal
) -> Year:
    """The yearly statement: the twelve monthly payments and their sum."""
    months = [
        month(year_number, m, target_group_fte, hours_by_month.get(m, Decimal(0)), amount_per_fte)
        for m in range(1, 13)
    ]
    return Year(year_number, months, _sum(m.hours for m in months), _sum(m.amount for m in months))


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, Decimal(0))
