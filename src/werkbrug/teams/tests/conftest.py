"""Fixtures of the team tests: the ZoWeZo world of test_teams_support (team, members, client)."""

from __future__ import annotations

import pytest

from werkbrug.teams.tests.test_teams_support import World, build_world


@pytest.fixture
def world(net) -> World:
    return build_world(net)
