"""`{% status_badge status %}`: a follow-along status as a badge, from one place for the templates
(the jobs of a trajectory) and the rows built in Python (the caseload panel, ips.views)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from werkbrug.core.rows import html_row
from werkbrug.ips.status import STATUS_LABELS

register = template.Library()

# The badge's class per status: done in time, a warning, or only a label; "later" is muted text.
_CLASSES = {
    "met": "badge badge-ok",
    "late": "badge",
    "overdue": "badge badge-alert",
    "open": "badge",
    "due": "badge",
}


@register.simple_tag
def status_badge(status: str) -> SafeString:
    """`<span class="badge …" data-status="…">label</span>`; any other status shows as "later"."""
    if status not in _CLASSES:
        return html_row('<span class="muted" data-status="later">{}</span>', STATUS_LABELS["later"])
    return html_row(
        '<span class="{}" data-status="{}">{}</span>', _CLASSES[status], status, STATUS_LABELS[status]
    )
