"""An API caller with a token per persona: api.get(net.coach, "/api/clients")."""

from __future__ import annotations

import json
from typing import Any

import pytest

from werkbrug.network.models import ApiToken, Membership, User


class ApiCaller:
    def __init__(self, client: Any) -> None:
        self.client = client
        self.keys: dict[int, str] = {}

    def key_for(self, user: User, membership: Membership | None = None) -> str:
        if membership is not None:
            return ApiToken.issue(membership, "test")[1]
        if user.pk not in self.keys:
            first = Membership.objects.filter(user=user).order_by("pk").first()
            assert first is not None
            self.keys[user.pk] = ApiToken.issue(first, "test")[1]
        return self.keys[user.pk]

    def _headers(self, user: User | str | None) -> dict[str, str]:
        if user is None:
            return {}
        key = user if isinstance(user, str) else self.key_for(user)
        return {"Authorization": f"Bearer {key}"}

    def get(self, user: User | str | None, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self._headers(user))

    def post(
        self, user: User | str | None, path: str, data: Any = None, *, raw: str | bytes | None = None
    ) -> Any:
        body = raw if raw is not None else json.dumps(data if data is not None else {})
        return self.client.post(path, body, content_type="application/json", headers=self._headers(user))

    def patch(self, user: User | str | None, path: str, data: Any) -> Any:
        body = json.dumps(data)
        return self.client.patch(path, body, content_type="application/json", headers=self._headers(user))


@pytest.fixture
def api(client) -> ApiCaller:
    return ApiCaller(client)
