"""core.forms.submit: the one way pages run actions."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from werkbrug.core.exceptions import DomainError
from werkbrug.core.forms import submit


class NameForm(forms.Form):
    name = forms.CharField()


def post(data):
    request = RequestFactory().post("/", data)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.parametrize(
    ("error", "field"),
    [
        (DomainError("Not allowed", field="name"), "name"),
        (DomainError("Not allowed"), "__all__"),
        (ValidationError({"name": "Too long"}), "name"),
        (ValidationError({"unknown": "Odd"}), "__all__"),
        (ValidationError("Plain"), "__all__"),
    ],
)
def test_errors_from_the_action_land_on_the_form(error, field):
    request = post({"name": "x"})
    form = NameForm(request.POST)

    def action(data):
        raise error

    assert submit(request, form, action, "ok") is None
    assert field in form.errors


def test_success_returns_the_result_and_flashes():
    request = post({"name": "x"})
    form = NameForm(request.POST)
    assert submit(request, form, lambda data: data["name"] * 2, "done") == "xx"
    assert [str(m) for m in request._messages] == ["done"]


def test_get_requests_run_nothing():
    request = RequestFactory().get("/")
    called = []
    assert submit(request, NameForm(), lambda data: called.append(1), "ok") is None
    assert called == []
