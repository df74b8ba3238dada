"""api.decisions.decide, the one way an API operation decides: the target first (404), then the
page's form (422 keyed by the API's names), then the action, whose result is the answer."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import RequestFactory
from ninja.responses import Status

from werkbrug.api.decisions import decide
from werkbrug.core.actor import Actor


class NoteForm(forms.Form):
    note = forms.CharField(max_length=5)


@pytest.fixture
def request_():
    request = RequestFactory().post("/api/x")
    request.auth = Actor(user=User(username="coach"), membership=None, via_api=True)
    return request


def test_the_target_is_loaded_with_the_ids_before_the_form_is_built_or_the_action_runs(request_):
    calls = []

    def load(actor, *ids):
        calls.append(("load", actor.user.username, ids))
        raise Http404

    def form(target):
        calls.append(("form", target))
        return NoteForm({"note": "far too long"})

    with pytest.raises(Http404):
        decide(request_, 7, 9, load=load, form=form, action=lambda *args, **kwargs: calls.append("action"))
    assert calls == [("load", "coach", (7, 9))]


def test_a_refusal_of_the_form_is_keyed_by_the_apis_name_and_runs_no_action(request_):
    ran = []
    with pytest.raises(ValidationError) as refused:
        decide(
            request_,
            1,
            load=lambda actor, pk: "target",
            form=NoteForm({"note": "far too long"}),
            api_names={"note": "remark"},
            action=lambda *args, **kwargs: ran.append(args),
        )
    assert list(refused.value.error_dict) == ["remark"]
    assert ran == []


def test_the_action_gets_the_actor_the_target_and_the_cleaned_data(request_):
    def action(actor, target, *, note):
        return (actor.user.username, target, note)

    answer = decide(
        request_,
        3,
        load=lambda actor, pk: f"target {pk}",
        form=lambda target: NoteForm({"note": f" {target[-1]}ab "}),  # the form strips the note
        action=action,
    )
    assert answer == ("coach", "target 3", "3ab")


def test_without_a_form_the_action_gets_the_values_and_a_creation_answers_201(request_):
    answer = decide(
        request_,
        4,
        load=lambda actor, pk: pk * 10,
        values={"on": "2026-01-05"},
        action=lambda actor, target, on: {"target": target, "on": on},
        status=201,
    )
    assert isinstance(answer, Status)
    assert (answer.status_code, answer.value) == (201, {"target": 40, "on": "2026-01-05"})
