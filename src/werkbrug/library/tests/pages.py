"""The library's pages with data, for the walkers of every role's pages (core/tests/role_pages.py)
and the library's own browser tests: a document in two versions, a published second draaiboek
version (announced: the members' start pages show the notice) and an open draft."""

from __future__ import annotations

import tempfile

from django.test import override_settings

from werkbrug.library import actions
from werkbrug.library.models import Document
from werkbrug.library.tests.data import pdf, publish_wording
from werkbrug.network import draaiboek_actions
from werkbrug.network.models import DraaiboekVersion
from werkbrug.testing import Network, actor_for

LONG_TITLE = "Samenwerkingsovereenkomstondertekeningsprocedurebeschrijving Antwerpen-Noord"


def library_world(net: Network) -> tuple[Document, DraaiboekVersion]:
    """The PDFs go to settings.MEDIA_ROOT (a test's tmp_path)."""
    admin = actor_for(net.admin)
    first = actions.create_document(
        admin,
        title=LONG_TITLE,
        kind="agreement",
        audience="all",
        description="De overeenkomst die elke partner tekent.",
        file=pdf("one"),
        note="Eerste versie.",
    )
    actions.add_version(admin, first.document, file=pdf("two"), note=f"{LONG_TITLE} herwerkt.")
    publish_wording(net)
    draft = draaiboek_actions.edit_indication(
        admin,
        "shared_focus",
        label="Een gedeelde focus op zorg én werk",
        group="arbeidscoach",
        to_case_team=False,
    ).version
    return first.document, draft


def library_pages(net: Network) -> dict[str, list[str]]:
    """Per role (as in role_pages): the library's paths. The PDFs go to a directory of their own, not
    the developer's MEDIA_ROOT (the browser tests that walk these pages download none)."""
    with override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="werkbrug-library-")):
        document, draft = library_world(net)
    member = [
        "/library/",
        f"/library/documents/{document.pk}/",
        "/library/draaiboek/",
        "/library/draaiboek/versions/1/",
    ]
    return {
        "member": member,
        "network_admin": [
            *member,
            "/library/documents/new/",
            f"/library/documents/{document.pk}/versions/new/",
            "/library/draaiboek/indications/low_threshold/edit/",
            "/library/draaiboek/indications/new/",
            f"/library/draaiboek/drafts/{draft.pk}/publish/",
        ],
    }
