"""Small-cell suppression for aggregate figures shown to funders (DESIGN §5)."""

from __future__ import annotations

SMALL_CELL = 5


def suppress(count: int) -> str:
    """Counts below 5 are shown as "<5" so that no person can be singled out."""
    return "<5" if 0 < count < SMALL_CELL else str(count)
