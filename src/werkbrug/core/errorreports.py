"""Optional error reports to Sentry (or a Sentry-compatible service such as GlitchTip), configured by
the environment only: `SENTRY_DSN` turns it on (docs/deploy.md, "Error reports").

Werkbrug holds health data, so an error report carries where the error happened and not what was
being worked on: no request body, cookies, headers or query string, no user beyond the id, no local
variables of any frame, no exception message (a database error can quote the values of a row), no
breadcrumbs (they would carry log messages and SQL) and no log records as events. `scrub` does this
to every event before it leaves, whatever the SDK's own defaults become.
"""

from __future__ import annotations

from typing import Any

REQUEST_KEPT = ("url", "method")


def _scrub_frames(container: dict[str, Any] | None) -> None:
    for frame in ((container or {}).get("stacktrace") or {}).get("frames") or []:
        frame.pop("vars", None)


def scrub(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """Sentry's before_send: keep the shape of the error, drop anything that may hold client data."""
    request = event.get("request")
    if isinstance(request, dict):
        event["request"] = {key: request[key] for key in REQUEST_KEPT if key in request}
        if "url" in event["request"]:
            event["request"]["url"] = str(event["request"]["url"]).split("?", 1)[0]
    user = event.get("user")
    event["user"] = {"id": user["id"]} if isinstance(user, dict) and "id" in user else {}
    for exception in (event.get("exception") or {}).get("values") or []:
        exception["value"] = ""
        _scrub_frames(exception)
    for thread in (event.get("threads") or {}).get("values") or []:
        _scrub_frames(thread)
    for key in ("breadcrumbs", "extra", "logentry", "message"):
        event.pop(key, None)
    return event


def init(dsn: str, *, environment: str = "", release: str = "") -> None:
    """Called from settings.py when SENTRY_DSN is set."""
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        max_breadcrumbs=0,
        traces_sample_rate=0,
        before_send=scrub,  # type: ignore[arg-type]
        integrations=[
            DjangoIntegration(),
            # Log records are neither breadcrumbs nor events: their messages are ours to vouch for.
            LoggingIntegration(level=None, event_level=None),
        ],
    )
