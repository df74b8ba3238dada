"""Jobs for the tests of the queue itself (a worker subprocess imports them by path)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from werkbrug.jobs.runner import job


@job
def blocking(folder: str) -> int:
    """Says it started, waits while `block` exists, then writes `done` with the worker's pid."""
    where = Path(folder)
    (where / f"started-{os.getpid()}").touch()
    while (where / "block").exists():
        time.sleep(0.1)
    (where / "done").write_text(str(os.getpid()))
    return os.getpid()


class Broken(Exception):
    pass


@job
def failing(number: int) -> None:
    raise Broken(f"job {number} broke")


# What `given_up` was called with, in order (the tests run the worker in their own process).
GIVEN_UP: list[tuple[str, int]] = []


def record_give_up(error: Exception, number: int) -> None:
    GIVEN_UP.append((str(error), number))
    if number == 13:
        raise RuntimeError("the hook broke too")


@job(on_give_up=record_give_up)
def failing_with_hook(number: int) -> None:
    raise Broken(f"job {number} broke")
