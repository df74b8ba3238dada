"""A4 PDFs in the client's language (Dutch by default), rendered with WeasyPrint from templates."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def render_pdf(template: str, context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    """The PDF bytes of a template that extends "pdf/base.html"."""
    # Imported here: WeasyPrint loads Pango through cffi, which only the PDF pages need.
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    return HTML(string=html, base_url=None).write_pdf()


def pdf_response(template: str, context: dict[str, Any], request: HttpRequest, filename: str) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context, request), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Client data: never cached by the browser or a proxy.
    response["Cache-Control"] = "no-store, private"
    return response
