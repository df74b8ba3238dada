"""The outreach tests' shared fixtures: a clock standing still on MONDAY, and a care site with the
coach's consultation hours (outreach.tests.data)."""

from __future__ import annotations

import pytest
import time_machine

from werkbrug.outreach.tests.data import MONDAY, hours, site


@pytest.fixture
def frozen():
    """Now is MONDAY, standing still; a test may move the clock on (`frozen.move_to`)."""
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def setup(net, frozen):
    s = site(net)
    return s, hours(net, s)
