"""The names of downloaded files, in the reader's language (issue 13, point 7): "toegangsrapport-12.pdf"
for a Dutch reader, "access-report-12.pdf" for an English one."""

from __future__ import annotations

from django.utils.text import slugify


def download_name(what: str, *parts: object, extension: str) -> str:
    """`what` (already translated) as a file name, then the parts (an id, a date), e.g.
    download_name(_("access report"), 12, extension="pdf")."""
    return "-".join([slugify(what), *(str(part) for part in parts)]) + f".{extension}"
