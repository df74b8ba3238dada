"""Data for the library tests: PDFs to upload and a draaiboek change made through the actions."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from werkbrug.library import actions
from werkbrug.network import draaiboek_actions
from werkbrug.network.models import DraaiboekVersion
from werkbrug.testing import Network, actor_for

NEW_WORDING = "Een lage drempel is nodig om te kunnen starten (herwerkt)"


def pdf(text: str = "one", name: str = "Visietekst Jan Peeters.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n" + text.encode() + b"\n%%EOF\n", content_type="application/pdf"
    )


def publish_wording(
    net: Network, code: str = "low_threshold", label: str = NEW_WORDING, **rule: bool
) -> DraaiboekVersion:
    """Change one indication's wording (and rule) and publish it as the next version."""
    admin = actor_for(net.admin)
    row = draaiboek_actions.edit_indication(
        admin,
        code,
        label=label,
        group=rule.pop("group", None) or _group(code),
        to_case_team=rule.get("to_case_team", False),
    )
    return actions.publish_draaiboek(admin, row.version, note="Wording of one indication changed.")


def _group(code: str) -> str:
    from werkbrug.network.indications import FIRST_GROUPS

    return FIRST_GROUPS.get(code, "other")
