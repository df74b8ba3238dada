"""The checked file between the dry run and the real import: kept under MEDIA_ROOT/imports/ by a
random token that only the session that uploaded it knows, for the membership that uploaded it;
deleted after the import (and left-overs after a day)."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest

from werkbrug.core.actor import Actor

SESSION_KEY = "werkbrug_imports"
MAX_AGE_SECONDS = 24 * 3600


@dataclass
class Pending:
    token: str
    path: Path
    name: str
    counts: dict[str, int]
    report: Any = None  # the real run's report, when it found problems


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sweep(folder: Path) -> None:
    limit = time.time() - MAX_AGE_SECONDS
    for old in folder.glob("*.upload"):
        if old.stat().st_mtime < limit:
            old.unlink(missing_ok=True)


def keep(request: HttpRequest, actor: Actor, name: str, content: bytes, counts: dict[str, int]) -> str:
    folder = _folder()
    _sweep(folder)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.upload").write_bytes(content)
    kept = request.session.get(SESSION_KEY, {})
    for previous in list(kept):  # one pending file per session: a new dry run replaces it
        (folder / f"{previous}.upload").unlink(missing_ok=True)
    request.session[SESSION_KEY] = {
        token: {
            "membership": actor.membership.pk if actor.membership else None,
            "name": name,
            "counts": counts,
        }
    }
    return token


def load(request: HttpRequest, actor: Actor, token: str) -> Pending:
    """The pending file of this session and membership, or 404 (another user's token included)."""
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if entry is None or actor.membership is None or entry["membership"] != actor.membership.pk:
        raise Http404
    path = _folder() / f"{token}.upload"
    if not path.is_file():
        raise Http404
    return Pending(token=token, path=path, name=entry["name"], counts=entry["counts"])


def forget(request: HttpRequest, pending: Pending) -> None:
    pending.path.unlink(missing_ok=True)
    kept = request.session.get(SESSION_KEY, {})
    kept.pop(pending.token, None)
    request.session[SESSION_KEY] = kept
