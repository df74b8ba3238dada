"""Fixtures of the report tests over the known dataset of report_data: the clock at its NOW, and the
dataset built at that moment. (The caseload report tests keep their own moment and dataset.)"""

from __future__ import annotations

import pytest
import time_machine

from werkbrug.reports.tests import report_data as rd


@pytest.fixture
def frozen():
    with time_machine.travel(rd.NOW, tick=False):
        yield


@pytest.fixture
def data(frozen, net) -> rd.Dataset:
    return rd.build(net)
