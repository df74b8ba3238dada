"""The client's address, for the login throttle's records (django-axes, docs/security.md).

REMOTE_ADDR, unless WERKBRUG_PROXY_IP_HEADER names the header that the trusted proxy in front of
Werkbrug sets (e.g. `X-Real-IP`). A header is never trusted unless configured: anyone can send
X-Forwarded-For. When the configured header holds a list (X-Forwarded-For), the last entry is the one
the proxy added itself.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def meta_key(header: str) -> str:
    """`X-Real-IP` -> `HTTP_X_REAL_IP`, the name Django gives the header in request.META."""
    return "HTTP_" + header.strip().upper().replace("-", "_")


def client_ip(request: HttpRequest) -> str:
    header = getattr(settings, "WERKBRUG_PROXY_IP_HEADER", "")
    if header:
        value = request.META.get(meta_key(header), "")
        entries = [entry.strip() for entry in value.split(",") if entry.strip()]
        if entries:
            return entries[-1]
    return str(request.META.get("REMOTE_ADDR", ""))
