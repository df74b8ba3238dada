"""The library's pages: the documents and their versions, the draaiboek (published, earlier versions
and, for the network admin, the draft). Members of the network read them; a funder or researcher
gets 404. They show no client data."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext

from werkbrug.core import audit
from werkbrug.core.actor import Actor
from werkbrug.core.downloads import download_name
from werkbrug.core.models import AuditAction
from werkbrug.core.paging import paginate
from werkbrug.core.policy import role_view
from werkbrug.core.privatefiles import pdf_download
from werkbrug.library.models import Document, DocumentVersion
from werkbrug.network.draaiboek_actions import current_draft
from werkbrug.network.indications import Draaiboek, of_version, published
from werkbrug.network.models import DraaiboekStatus, DraaiboekVersion, IndicationGroup, Role

# Everyone who works in the network reads the library; a funder or researcher does not.
MEMBER_ROLES = (
    Role.COACH,
    Role.CARE_PROFESSIONAL,
    Role.SCREENER,
    Role.COORDINATOR,
    Role.NETWORK_ADMIN,
    Role.PRIVACY_OFFICER,
)
member_view = role_view(*MEMBER_ROLES)


def is_admin(request: HttpRequest) -> bool:
    return Actor.from_request(request).has_role(Role.NETWORK_ADMIN)


@member_view
def index(request: HttpRequest) -> HttpResponse:
    documents = Document.objects.annotate(
        latest=Max("versions__number"), updated=Max("versions__uploaded_at"), count=Count("versions")
    ).order_by("title", "pk")
    return render(
        request,
        "library/index.html",
        {
            "page": paginate(request, documents),
            "draaiboek": published().version,
            "admin": is_admin(request),
            "section": "documents",
        },
    )


@member_view
def document(request: HttpRequest, pk: int) -> HttpResponse:
    doc = get_object_or_404(Document, pk=pk)
    versions = doc.versions.select_related("uploaded_by").order_by("-number")
    return render(
        request,
        "library/document.html",
        {
            "document": doc,
            "page": paginate(request, versions),
            "admin": is_admin(request),
            "section": "documents",
        },
    )


@member_view
def download(request: HttpRequest, pk: int, number: int) -> FileResponse:
    """A version's PDF: only through this policy-checked view, never MEDIA_URL."""
    version = get_object_or_404(DocumentVersion, document_id=pk, number=number)
    response = pdf_download(
        version.file, download_name(gettext("document"), pk, f"v{number}", extension="pdf")
    )
    audit.record(Actor.from_request(request), AuditAction.VIEW, version, client_id=None, summary="downloaded")
    return response


def _groups(book: Draaiboek) -> list[tuple[Any, list[Any]]]:
    """The indications under the group headings, in the draaiboek's order."""
    return [
        (label, [item for item in book.items if item.group == value])
        for value, label in IndicationGroup.choices
        if any(item.group == value for item in book.items)
    ]


@member_view
def draaiboek(request: HttpRequest) -> HttpResponse:
    """The published draaiboek and its history; the network admin also sees and edits the draft."""
    book = published()
    admin = is_admin(request)
    draft = current_draft() if admin else None
    history = DraaiboekVersion.objects.filter(status=DraaiboekStatus.PUBLISHED).select_related("published_by")
    context: dict[str, Any] = {
        "book": book,
        "groups": _groups(book),
        "page": paginate(request, history.order_by("-number")),
        "admin": admin,
        "draft": draft,
        "edit_published": admin and draft is None,
        "section": "draaiboek",
    }
    if draft is not None:
        context["draft_groups"] = _groups(of_version(draft))
    return render(request, "library/draaiboek.html", context)


@member_view
def draaiboek_version(request: HttpRequest, number: int) -> HttpResponse:
    version = get_object_or_404(
        DraaiboekVersion.objects.select_related("published_by"),
        status=DraaiboekStatus.PUBLISHED,
        number=number,
    )
    book = of_version(version)
    return render(
        request,
        "library/draaiboek_version.html",
        {"version": version, "groups": _groups(book), "section": "draaiboek"},
    )
