"""Set-up shared by the client tests (no tests here): the smallest PDF that passes as a signed
form, and a client file that the care professional has opened a number of times."""

from __future__ import annotations

from django.urls import reverse

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def viewed_by_care(net, login, views: int):
    """A new client whose file the care professional opens `views` times; returns the client and the
    care professional's logged-in test client."""
    client = net.new_client()
    web = login(net.care)
    for _ in range(views):
        web.get(reverse("clients:detail", args=[client.pk]))
    return client, web
