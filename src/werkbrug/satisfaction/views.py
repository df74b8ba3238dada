"""The network admin's survey pages (list, new survey, the survey with its questions, invitations and
results) and the anonymous answer page behind each invitation's link (public: the token is the key)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from werkbrug.core.actionviews import Step, action_view
from werkbrug.core.paging import paginate
from werkbrug.core.policy import public_view, role_view
from werkbrug.network.models import Role
from werkbrug.satisfaction import actions
from werkbrug.satisfaction.forms import AnswerForm, ButtonForm, ClientLinksForm, QuestionForm, SurveyForm
from werkbrug.satisfaction.models import Invitation, Question, Survey
from werkbrug.satisfaction.results import survey_results

network_admin = role_view(Role.NETWORK_ADMIN)


def _detail_url(pk: int) -> str:
    return reverse("satisfaction:detail", args=[pk])


def answer_base() -> str:
    """The address a link's token is added to: /satisfaction/answer/."""
    return reverse("satisfaction:answer", args=["t"]).removesuffix("t/")


def _survey(step: Step) -> Survey:
    return get_object_or_404(Survey, pk=step.kwargs["pk"])


@network_admin
def survey_list(request: HttpRequest) -> HttpResponse:
    surveys = Survey.objects.annotate(
        invited=Count("invitations", distinct=True),
        answered=Count("invitations", filter=Q(invitations__used=True), distinct=True),
    ).order_by("-year", "-pk")
    return render(request, "satisfaction/list.html", {"page": paginate(request, surveys)})


survey_create = action_view(
    policy=network_admin,
    form=SurveyForm,
    run=lambda step, data: actions.create_survey(step.actor, **data),
    success=_("The survey was added. Add its questions."),
    done=lambda step, survey: _detail_url(survey.pk),
    title=_("New satisfaction survey"),
    submit_label=_("Add survey"),
    context=lambda step: {
        "crumbs": [(reverse("satisfaction:list"), _("Satisfaction"))],
        "back": reverse("satisfaction:list"),
    },
    refused_status=200,
)


def _detail_page(step: Step) -> dict[str, Any]:
    survey = step.target
    counts = Invitation.objects.filter(survey=survey).aggregate(
        invited=Count("pk"), answered=Count("pk", filter=Q(used=True))
    )
    return {
        "survey": survey,
        "questions": list(survey.questions.all()),
        "results": survey_results(survey),
        **counts,
        "crumbs": [(reverse("satisfaction:list"), _("Satisfaction"))],
    }


survey_detail = action_view(
    policy=network_admin,
    load=_survey,
    form=QuestionForm,
    run=lambda step, data: actions.add_question(step.actor, step.target, **data),
    success=_("The question was added."),
    done=lambda step, question: _detail_url(step.target.pk),
    title=lambda step: str(step.target),
    submit_label=_("Add question"),
    template="satisfaction/detail.html",
    context=_detail_page,
    refused_status=200,
)


def _button(
    load: Callable[[Step], Any],
    run: Callable[[Step, dict[str, Any]], Any],
    success: Any,
    back: Callable[[Step], str],
) -> Callable[..., HttpResponse]:
    """A button on the survey page: refused, the message is flashed there."""

    def refused(step: Step) -> HttpResponse:
        for error in step.form.non_field_errors():
            messages.error(step.request, str(error))
        return redirect(back(step))

    return action_view(
        policy=network_admin,
        form=ButtonForm,
        load=load,
        run=run,
        success=success,
        done=lambda step, result: back(step),
        refused=refused,
        post_only=True,
    )


question_remove = _button(
    lambda step: get_object_or_404(
        Question.objects.select_related("survey"), pk=step.kwargs["question_pk"], survey_id=step.kwargs["pk"]
    ),
    lambda step, data: actions.remove_question(step.actor, step.target),
    _("The question was removed."),
    lambda step: _detail_url(step.kwargs["pk"]),
)
survey_open = _button(
    _survey,
    lambda step, data: actions.open_survey(
        step.actor, step.target, base_url=step.request.build_absolute_uri(answer_base())
    ),
    _("The survey is open: every member received their own link."),
    lambda step: _detail_url(step.kwargs["pk"]),
)
client_links = action_view(
    policy=network_admin,
    load=_survey,
    form=ClientLinksForm,
    run=lambda step, data: actions.client_links(
        step.actor, step.target, count=data["count"], base_url=step.request.build_absolute_uri(answer_base())
    ),
    success=_("The links were made. Print them now: they are shown only once."),
    # The links are shown on this one answer, never stored (only their hashes are).
    done=lambda step, links: render(
        step.request, "satisfaction/client_links.html", {"survey": step.target, "links": links}
    ),
    title=_("Links for clients"),
    submit_label=_("Make the links"),
    intro=_(
        "Anonymous links to hand out to clients on paper: each answers once, without a name. They are "
        "shown once, right after making them."
    ),
    context=lambda step: {
        "crumbs": [(_detail_url(step.target.pk), str(step.target))],
        "back": _detail_url(step.target.pk),
    },
    refused_status=200,
)
survey_close = _button(
    _survey,
    lambda step, data: actions.close_survey(step.actor, step.target),
    _("The survey is closed."),
    lambda step: _detail_url(step.kwargs["pk"]),
)


# --- the anonymous answer page -----------------------------------------------------------------------


def _invitation(step: Step) -> Invitation:
    invitation = actions.invitation_for(step.kwargs["token"])
    if invitation is None:
        raise Http404
    return invitation


def _answer_page(step: Step) -> dict[str, Any]:
    invitation = step.target
    return {"survey": invitation.survey, "used": invitation.used, "status": invitation.survey.status}


answer = action_view(
    policy=public_view,
    load=_invitation,
    form=lambda step: AnswerForm(step.data, survey=step.target.survey),
    run=lambda step, data: actions.answer_survey(step.kwargs["token"], step.form.answers()),  # type: ignore[attr-defined]
    success=_("Thank you: your answers were stored anonymously."),
    done=lambda step, response: reverse("satisfaction:thanks"),
    title=lambda step: str(step.target.survey),
    submit_label=_("Send my answers"),
    template="satisfaction/answer.html",
    context=_answer_page,
    refused_status=200,
)


@public_view
@require_safe
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "satisfaction/thanks.html")
