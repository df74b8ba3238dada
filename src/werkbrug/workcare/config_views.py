"""The yearly settings of work-care (workcare.config): one page for the network admin with the rows
per year and the defaults, and a form for each kind of row. Anyone else gets 404."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.policy import role_view
from werkbrug.network.models import Role
from werkbrug.workcare import config
from werkbrug.workcare.forms import AllowanceCeilingForm, BenefitCeilingForm, SubsidyRateForm
from werkbrug.workcare.models import (
    DEFAULT_ALLOWANCE_PER_DAY,
    DEFAULT_ALLOWANCE_PER_YEAR,
    DEFAULT_CEILINGS,
    AllowanceCeiling,
    BenefitCeiling,
    Regime,
    SubsidyRate,
)
from werkbrug.workcare.subsidy import DEFAULT_AMOUNT_PER_FTE

admin_view = role_view(Role.NETWORK_ADMIN)
SHOWN_YEARS = 50


@admin_view
@require_safe
def settings_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "workcare/settings.html",
        {
            "rates": list(SubsidyRate.objects.order_by("-year")[:SHOWN_YEARS]),
            "ceilings": list(BenefitCeiling.objects.order_by("-year", "regime")[: 2 * SHOWN_YEARS]),
            "allowances": list(AllowanceCeiling.objects.order_by("-year")[:SHOWN_YEARS]),
            "default_rate": DEFAULT_AMOUNT_PER_FTE,
            "default_rva": DEFAULT_CEILINGS[Regime.RVA],
            "default_ocmw": DEFAULT_CEILINGS[Regime.OCMW],
            "default_per_day": DEFAULT_ALLOWANCE_PER_DAY,
            "default_per_year": DEFAULT_ALLOWANCE_PER_YEAR,
        },
    )


def _page(step: Step) -> dict[str, object]:
    back = reverse("workcare:settings")
    return {"crumbs": [(back, gettext("Work-care settings"))], "back": back}


def _this_year(form_class: type[forms.Form], **initial: object) -> Callable[[Step], forms.Form]:
    """The form, offering this year (and the defaults) on an empty page."""
    return lambda step: form_class(step.data, initial={"year": timezone.localdate().year, **initial})


setting_action = functools.partial(
    action_view,
    policy=admin_view,
    context=_page,
    done=lambda step, result: reverse("workcare:settings"),
)

subsidy_rate = setting_action(
    form=_this_year(SubsidyRateForm, amount_per_fte=DEFAULT_AMOUNT_PER_FTE),
    run=lambda step, data: config.set_subsidy_rate(step.actor, **data),
    success=_("The subsidy amount was saved."),
    title=_("Subsidy amount per support FTE of a year"),
    intro=_("Art. 20bis §2 of the decree: the yearly amount per funded support FTE."),
)

benefit_ceiling = setting_action(
    form=_this_year(BenefitCeilingForm),
    run=lambda step, data: config.set_benefit_ceiling(step.actor, **data),
    success=_("The hours ceiling was saved."),
    title=_("Hours ceiling of a benefit in a year"),
    intro=_("The month grid warns when a participant passes it in a calendar week."),
)

allowance_ceiling = setting_action(
    form=_this_year(
        AllowanceCeilingForm, per_day=DEFAULT_ALLOWANCE_PER_DAY, per_year=DEFAULT_ALLOWANCE_PER_YEAR
    ),
    run=lambda step, data: config.set_allowance_ceiling(step.actor, **data),
    success=_("The volunteer allowance ceilings were saved."),
    title=_("Volunteer allowance ceilings of a year"),
    intro=_("An agreement's expense allowance above them gets a warning."),
)
