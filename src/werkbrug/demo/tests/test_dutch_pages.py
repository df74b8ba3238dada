"""No English on a Dutch page (issue 13, point 7): a crawler logs in as one demo user per role and
walks every same-site link it can reach from the start page, in Dutch, through the Django test
client, and checks what a person sees against words that are English and never Dutch.

What a person sees or hears: the text outside scripts and styles (the page title and option texts
included), the `title`, `placeholder`, `aria-label` and `alt` attributes, the labels of buttons and
what the scripts say from `data-confirm` and `data-busy`. Every URL pattern is visited once (digits in paths and query values count as one pattern),
at most MAX_PAGES pages per role; logout, downloads, static files and the API are skipped. The crawl
is general: pages added later are found through their links.

The same walk checks that a page links only to what its reader may open (issue 13, point 4): a link
that answers 404 is a dead end for the person who follows it.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.conf import settings
from django.test import Client

from werkbrug.demo.load import load_demo
from werkbrug.demo.network import USERS
from werkbrug.network.models import User

MAX_PAGES = 60

# English words that are not also Dutch words (whole words, any case). Not here on purpose: words
# Dutch shares or borrows ("contact", "coach", "team", "status", "open", "filter", "update",
# "training", "agenda", "item", "meeting", "inbox", "gender", "download", "login", "print"), and
# English words that are Dutch words too ("been", "last", "was", "die", "door", "over").
_ENGLISH = """
    the and with without from this that these those your you which what when where who are has have
    will would should could not but for into onto then than there their save submit cancel delete
    remove edit add added updated create created change changed search find back next previous show
    hide view viewed close closed yes none client clients referral referrals handover handovers
    trajectory trajectories report reports settings outcome outcomes goal goals waiting list lists
    sent received unread read phone face home visit attempt employer three way paid unpaid work
    volunteering date name first birth address number page pages organisation organisation's
    organization role user users password logout section sections profile skills strengths support
    needs helps minutes decision decisions guest guests action actions due done pending proposed
    accepted declined withdrawn submitted assigned returned active paused reopened started new old
    all any some each every more less only also required optional choose select no other unclear
    breadcrumb sure
"""
ENGLISH_WORDS = frozenset(_ENGLISH.split())

SKIPPED_PATHS = re.compile(
    r"^/(static|media|api|django-admin)/|logout|\.(pdf|csv|ics|json|xlsx|zip|txt)$|/export|/download",
    re.IGNORECASE,
)
ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "data-confirm", "data-busy")


class _Page(HTMLParser):
    """The visible text and the links of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0
        self._untranslated: list[str] = []  # open elements marked translate="no" (keys, codes)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "style", "template"):
            self._hidden += 1
        if values.get("translate") == "no" or self._untranslated:
            self._untranslated.append(tag)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        for name in ATTRIBUTES:
            if values.get(name):
                self.text.append(values[name] or "")
        if tag == "input" and values.get("type") in ("submit", "button", "reset") and values.get("value"):
            self.text.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1
        if tag in self._untranslated:
            del self._untranslated[len(self._untranslated) - 1 - self._untranslated[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        if not self._hidden and not self._untranslated:
            self.text.append(data)


def pattern_of(url: str) -> str:
    """One pattern per page kind: digits in the path and the query's values count as one."""
    parts = urlsplit(url)
    query = sorted((key, re.sub(r"\d+", "N", value)) for key, value in parse_qsl(parts.query))
    return re.sub(r"\d+", "N", parts.path) + "?" + urlencode(query)


def english_in(text: str) -> list[tuple[str, str]]:
    """(word, context) for each English word in the text, once per word."""
    found: dict[str, tuple[str, str]] = {}
    for match in re.finditer(r"[A-Za-z][A-Za-z']*", text):
        word = match.group(0).lower()
        if word in ENGLISH_WORDS and word not in found:
            start, end = max(0, match.start() - 40), min(len(text), match.end() + 40)
            found[word] = (match.group(0), " ".join(text[start:end].split()))
    return list(found.values())


def crawl(client: Client) -> tuple[dict[str, list[tuple[str, str]]], list[str], int]:
    """English words per page, pages that failed (a server error, or a 404 behind a link the
    reader was shown), and the number of pages read."""
    found: dict[str, list[tuple[str, str]]] = {}
    failed: list[str] = []
    seen: set[str] = set()
    queue: deque[tuple[str, str]] = deque([("/", "")])
    pages = 0
    while queue and pages < MAX_PAGES:
        url, linked_from = queue.popleft()
        response = client.get(url, follow=True)
        pages += 1
        if response.status_code >= 500 or response.status_code == 404:
            failed.append(
                f"{url}: {response.status_code}" + (f" (a link on {linked_from})" if linked_from else "")
            )
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        page_url = response.request["PATH_INFO"]
        if response.request.get("QUERY_STRING"):
            page_url += "?" + response.request["QUERY_STRING"]
        page = _Page()
        page.feed(response.content.decode())
        words = english_in(" \n ".join(page.text))
        if words:
            found[page_url] = words
        for href in page.links:
            target = urljoin(page_url, href.split("#")[0])
            parts = urlsplit(target)
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if not parts.path or SKIPPED_PATHS.search(parts.path):
                continue
            key = pattern_of(local)
            if key not in seen:
                seen.add(key)
                queue.append((local, page_url))
    return found, failed, pages


@pytest.fixture
def dutch_demo(db, settings):
    settings.LANGUAGE_CODE = "nl-be"
    load_demo()


def one_user_per_role() -> list[str]:
    users: dict[str, str] = {}
    for username, _first, _last, _org, role, _extra in USERS:
        users.setdefault(str(role), username)
    return list(users.values())


def test_english_words_are_found_as_whole_words_only():
    assert [word for word, _context in english_in("Save the file, then Cancel.")] == [
        "Save",
        "the",
        "then",
        "Cancel",
    ]
    assert english_in("Opslaan, annuleren, thema, andere, wandeling, cliënt") == []
    page = _Page()
    page.feed('<p>Typ deze sleutel: <code translate="no">Z6NO <b>WTRX</b></code> in de app.</p>')
    assert english_in(" ".join(page.text)) == []
    assert page.text == ["Typ deze sleutel: ", " in de app."]
    page = _Page()
    page.feed("<p>Typ deze sleutel: <code>Z6NO WTRX</code></p>")
    assert [word for word, _context in english_in(" ".join(page.text))] == ["NO"]
    assert pattern_of("/clients/12/?page=3&q=x") == pattern_of("/clients/7/?q=x&page=1")


def test_no_english_word_and_no_dead_link_on_any_page_of_any_role_in_dutch(dutch_demo):
    problems = []
    for username in one_user_per_role():
        client = Client(HTTP_ACCEPT_LANGUAGE="nl-be")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl-be"
        client.force_login(User.objects.get(username=username))
        found, failed, pages = crawl(client)
        print(f"{username}: {pages} pages")  # shown with -s
        assert pages > 1, f"{username}: the crawler found no links from the start page"
        problems += [f"{username} {failure}" for failure in failed]
        for url, words in found.items():
            problems += [f"{username} {url}: {word!r} in “{context}”" for word, context in words]
    assert not problems, "English on Dutch pages, or links that lead nowhere:\n" + "\n".join(problems)
