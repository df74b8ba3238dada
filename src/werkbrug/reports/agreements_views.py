"""The network admin's pages for data-access agreements: the list, recording one, ending one (with a
confirmation). Only a network admin reaches them; others get 404. They show no client data."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.paging import paginate
from werkbrug.core.policy import role_view
from werkbrug.network.models import Role
from werkbrug.reports import agreements
from werkbrug.reports.agreements_forms import AgreementForm, EndAgreementForm
from werkbrug.reports.models import DataAccessAgreement

admin_view = role_view(Role.NETWORK_ADMIN)


def _page(step: Step) -> dict[str, Any]:
    return {
        "crumbs": [(reverse("reports:agreements"), _("Data-access agreements"))],
        "back": reverse("reports:agreements"),
        "section": "agreements",
    }


agreement_action = functools.partial(
    action_view,
    policy=admin_view,
    template="network/form.html",
    context=_page,
    done=lambda step, result: reverse("reports:agreements"),
    refused_status=200,
)


@admin_view
def agreement_list(request: HttpRequest) -> HttpResponse:
    rows = DataAccessAgreement.objects.select_related(
        "researcher__user", "researcher__organisation", "recorded_by", "revoked_by"
    ).order_by("-recorded_at", "-pk")
    return render(
        request,
        "reports/agreements.html",
        {"page": paginate(request, rows), "today": timezone.localdate(), "section": "agreements"},
    )


agreement_create = agreement_action(
    form=AgreementForm,
    run=lambda step, data: agreements.record_agreement(step.actor, **data),
    success=_("The data-access agreement was recorded."),
    title=_("Record a data-access agreement"),
    intro=_(
        "A researcher downloads the pseudonymised research export only under an approved agreement, "
        "for the years it covers, until it expires or you end it."
    ),
    submit_label=_("Record"),
)

agreement_end = agreement_action(
    load=lambda step: get_object_or_404(DataAccessAgreement, pk=step.kwargs["pk"]),
    form=EndAgreementForm,
    run=lambda step, data: agreements.end_agreement(step.actor, step.target),
    success=_("The data-access agreement has ended."),
    title=lambda step: _("End data-access agreement %(number)s") % {"number": step.target.pk},
    intro=lambda step: (
        _("%(project)s, for %(user)s, %(first)s-%(last)s.")
        % {
            "project": step.target.project,
            "user": step.target.researcher.user.get_full_name() or step.target.researcher.user.username,
            "first": step.target.from_year,
            "last": step.target.to_year,
        }
    ),
    submit_label=_("End the agreement"),
    confirm=_("End this agreement? The researcher can no longer download under it."),
)
