"""The API describes itself (/api/openapi.json) and every operation declares an access policy."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from ninja import Router

from werkbrug.api import api as api_module
from werkbrug.api.auth import POLICIES

# Every state change a page can make has its operation (API parity, issue 11 point 4).
REFERRAL_DECISIONS = ("assign", "redirect", "waitlist", "case-team", "decline", "return", "accept")
TRAJECTORY_DECISIONS = ("phase", "pause", "resume", "close", "reopen", "coach")
EXPECTED_PATHS = {
    "/api/me": {"get"},
    "/api/lines": {"get"},
    "/api/organisations": {"get"},
    "/api/clients": {"get", "post"},
    "/api/clients/{client_id}": {"get", "patch"},
    "/api/clients/{client_id}/consents": {"get", "post"},
    "/api/clients/{client_id}/profile": {"get"},
    "/api/consents/{consent_id}/withdraw": {"post"},
    "/api/referrals": {"get", "post"},
    "/api/referrals/{referral_id}": {"get"},
    "/api/trajectories": {"get"},
    "/api/trajectories/{trajectory_id}": {"get"},
    "/api/trajectories/{trajectory_id}/contacts": {"get", "post"},
    "/api/trajectories/{trajectory_id}/outcomes": {"get", "post"},
    "/api/subregions": {"get"},
    "/api/trajectory-types": {"get"},
    "/api/coaches": {"get"},
    **{f"/api/referrals/{{referral_id}}/{verb}": {"post"} for verb in REFERRAL_DECISIONS},
    **{f"/api/trajectories/{{trajectory_id}}/{verb}": {"post"} for verb in TRAJECTORY_DECISIONS},
    "/api/trajectories/{trajectory_id}/outcomes/{outcome_id}/verify": {"post"},
    "/api/trajectories/{trajectory_id}/ladder": {"get", "post"},
    "/api/trajectories/{trajectory_id}/goals": {"get", "post"},
    "/api/trajectories/{trajectory_id}/goals/{goal_id}/done": {"post"},
    "/api/trajectories/{trajectory_id}/handovers": {"get", "post"},
    **{
        f"/api/trajectories/{{trajectory_id}}/handovers/{{handover_id}}/{verb}": {"post"}
        for verb in ("accept", "decline", "withdraw")
    },
    "/api/meetings": {"get"},
    "/api/meetings/{meeting_id}": {"get"},
    "/api/trajectories/{trajectory_id}/workcare-agreements": {"get", "post"},
    "/api/trajectories/{trajectory_id}/workcare-agreements/{agreement_id}/sign": {"post"},
}
# Operations that show no client data; everything else must be "token:client_data".
NO_CLIENT_DATA = {
    "me",
    "list_lines",
    "list_organisations",
    "list_subregions",
    "list_trajectory_types",
    "list_coaches",
}


def test_openapi_json_is_valid_json_and_lists_all_paths(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    assert {path: set(ops) for path, ops in spec["paths"].items()} == EXPECTED_PATHS


def test_every_operation_requires_the_bearer_token(client):
    spec = client.get("/api/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert [s["scheme"] for s in schemes.values()] == ["bearer"]
    operation_ids = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert operation["security"] == [{name: []} for name in schemes], (method, path)
            assert "401" in operation["responses"] and "404" in operation["responses"], (method, path)
            operation_ids.append(operation["operationId"])
    assert len(operation_ids) == len(set(operation_ids))


def test_client_schema_lists_leave_out_the_insz(client):
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert "insz" not in schemas["ClientListOut"]["properties"]
    assert "insz" in schemas["ClientOut"]["properties"]


def test_every_operation_declares_an_access_policy():
    """The URL walker for the API: deny by default."""
    seen = []
    for path, operation in api_module.operations():
        policy = getattr(operation.view_func, "access_policy", None)
        assert policy in POLICIES, (path, operation.methods)
        name = operation.view_func.__name__
        expected = "token" if name in NO_CLIENT_DATA else "token:client_data"
        assert policy == expected, (path, name)
        seen.append(path)
    assert {p.replace("/api", "", 1) for p in EXPECTED_PATHS} <= {"/" + p.lstrip("/") for p in seen}


def test_an_operation_without_a_policy_stops_the_api(monkeypatch):
    router = Router()

    @router.get("/leak")
    def leak(request):
        return {}

    monkeypatch.setattr(api_module, "ROUTERS", [*api_module.ROUTERS, ("/oops", router)])
    with pytest.raises(ImproperlyConfigured, match="/oops/leak"):
        api_module.check_policies()


def test_no_interactive_docs_page(client):
    # The docs page would load scripts from a CDN, which the CSP forbids.
    assert client.get("/api/docs").status_code == 404


def test_every_operation_documents_its_error_answers(client):
    """A partner system can rely on the spec: a read documents 401, 404 and 422; a write also 400
    (a rule of the domain, or a decision another person took first), each with its JSON body."""
    spec = client.get("/api/openapi.json").json()
    writes = reads = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            expected = {"401", "404", "422"} | ({"400"} if method in ("post", "patch") else set())
            assert expected <= set(responses), (method, path, sorted(responses))
            for status in expected:
                content = responses[status]["content"]["application/json"]["schema"]
                assert content["$ref"].rsplit("/", 1)[-1] in {"ErrorOut", "ValidationErrorOut"}, (
                    path,
                    status,
                )
            assert any(s.startswith("2") for s in responses), (method, path)
            writes += method in ("post", "patch")
            reads += method == "get"
    # The walk saw the new decisions as well as the reads.
    assert writes >= 24 and reads >= 20, (writes, reads)
