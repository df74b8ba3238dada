"""The one rule for dates (core.forms) in the API: a date before 1900 or after 2100 is a 422 with
the pages' message, and nothing is written."""

from __future__ import annotations

import datetime
import json
from typing import Annotated, Any, get_args, get_origin

import pytest
from pydantic import BaseModel

from werkbrug.api import schemas
from werkbrug.api.api import api as werkbrug_api
from werkbrug.api.tests.api_data import AN_JANSSENS, SIGNED
from werkbrug.clients.models import Client, Consent
from werkbrug.core.models import AuditEvent
from werkbrug.trajectories.models import Contact, Outcome

MESSAGE = "Enter a date from 1900 up to and including 2100."


def writes() -> tuple[int, ...]:
    return (
        AuditEvent.objects.exclude(action="view").count(),
        Client.objects.count(),
        Consent.objects.count(),
        Contact.objects.count(),
        Outcome.objects.count(),
    )


def assert_refused(response: Any) -> None:
    assert response.status_code == 422, response.content
    assert MESSAGE in json.dumps(response.json()), response.json()


@pytest.mark.parametrize("on", ["1899-12-31", "2101-01-01", "0001-01-01"])
def test_a_contact_outside_the_years_is_a_422_and_writes_nothing(net, api, on):
    trajectory = net.trajectory()
    before = writes()
    assert_refused(api.post(net.coach, f"/api/trajectories/{trajectory.pk}/contacts", {"on": on}))
    assert writes() == before


def test_a_contact_on_the_first_day_of_1900_is_recorded(net, api):
    trajectory = net.trajectory()
    response = api.post(net.coach, f"/api/trajectories/{trajectory.pk}/contacts", {"on": "1900-01-01"})
    assert response.status_code == 201, response.json()
    assert Contact.objects.get(trajectory=trajectory).on == datetime.date(1900, 1, 1)


@pytest.mark.parametrize("on", ["1899-12-31", "2101-01-01"])
def test_an_outcome_outside_the_years_is_a_422_and_writes_nothing(net, api, on):
    trajectory = net.trajectory()
    before = writes()
    body = {"kind": "training", "on": on}
    assert_refused(api.post(net.coach, f"/api/trajectories/{trajectory.pk}/outcomes", body))
    assert writes() == before


@pytest.mark.parametrize("dates", [{"given_on": "1899-12-31"}, {"valid_until": "2101-01-01"}])
def test_a_consent_outside_the_years_is_a_422_and_writes_nothing(net, api, dates):
    client = net.new_client()
    before = writes()
    body = {
        "purpose": "case_team",
        "recipient_id": net.sara.pk,
        "categories": ["identity"],
        "evidence": SIGNED,
    }
    assert_refused(api.post(net.care, f"/api/clients/{client.pk}/consents", {**body, **dates}))
    assert writes() == before


def test_a_client_born_before_1900_is_a_422_and_writes_nothing(net, api):
    before = writes()
    body = {**AN_JANSSENS, "birth_date": "1899-12-31", "evidence": SIGNED}
    assert_refused(api.post(net.care, "/api/clients", body))
    assert writes() == before


# --- every input ----------------------------------------------------------------------------------


def _bounded(metadata: list[Any]) -> bool:
    return any(getattr(item, "func", None) is schemas._in_range for item in metadata)


def _dates(annotation: Any, metadata: list[Any], where: str, seen: set[type]) -> list[tuple[str, bool]]:
    """Every place under `annotation` that takes a `datetime.date`, and whether it is bounded."""
    if get_origin(annotation) is Annotated:
        base, *extra = get_args(annotation)
        return _dates(base, [*metadata, *extra], where, seen)
    if annotation is datetime.date:
        return [(where, _bounded(metadata))]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return []
        seen.add(annotation)
        return [
            place
            for name, field in annotation.model_fields.items()
            for place in _dates(field.annotation, list(field.metadata), f"{where}.{name}", seen)
        ]
    return [place for arg in get_args(annotation) for place in _dates(arg, [], where, seen)]


def test_every_date_the_api_takes_keeps_to_the_bounds():
    places: list[tuple[str, bool]] = []
    for prefix, router in werkbrug_api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for model in operation.signature.models:
                    places += _dates(model, [], f"{operation.methods} {prefix}{path}", set())
    unbounded = [where for where, bounded in places if not bounded]
    assert not unbounded, f"use api.schemas.Date (or PastDate): {unbounded}"
    # The walk reaches the dates inside the bodies, optional ones included...
    assert any(where.endswith("payload.on") and "contacts" in where for where, _b in places), places
    assert any(where.endswith("payload.valid_until") for where, _b in places), places

    # ...and would catch a plain one.
    class Careless(BaseModel):
        on: datetime.date | None = None

    assert _dates(Careless, [], "Careless", set()) == [("Careless.on", False)]
