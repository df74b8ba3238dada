"""Dutch (nl-BE) by default, French and English beside it; every message translated and compiled."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

LOCALE = Path(django_settings.BASE_DIR) / "locale"


def po_entries(path: Path) -> list[tuple[str, list[str]]]:
    """(msgid, msgstrs) pairs of a .po file; enough of the format for our own files."""
    entries: list[tuple[str, list[str]]] = []
    msgid: list[str] = []
    strs: dict[str, list[str]] = {}
    current: list[str] | None = None

    def flush() -> None:
        if msgid or strs:
            entries.append(("".join(msgid), ["".join(v) for _k, v in sorted(strs.items())]))

    context = ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("msgctxt "):
            flush()
            msgid, strs = [], {}
            context = ast.literal_eval(line[8:])
            current = None
        elif line.startswith("msgid "):
            if msgid or strs:
                flush()
                context = ""
            # A context travels with its msgid as "context\x04msgid", as in the compiled catalogue.
            msgid, strs = [f"{context}\x04" if context else "", ast.literal_eval(line[6:])], {}
            context = ""
            current = msgid
        elif line.startswith("msgid_plural "):
            current = []
        elif line.startswith("msgstr"):
            key, _sep, value = line.partition(" ")
            strs[key] = [ast.literal_eval(value)]
            current = strs[key]
        elif line.startswith('"') and current is not None:
            current.append(ast.literal_eval(line))
    flush()
    return [(m, s) for m, s in entries if m]


def test_default_language_is_dutch():
    # The module itself: the test settings switch tests to the English msgids.
    from werkbrug import settings as project_settings

    assert project_settings.LANGUAGE_CODE == "nl-be"
    assert [code for code, _name in project_settings.LANGUAGES] == ["nl-be", "fr", "en"]


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_every_message_is_translated_and_compiled(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    entries = po_entries(po)
    assert len(entries) > 500
    untranslated = [m for m, strs in entries if not all(strs)]
    assert untranslated == []
    assert "#, fuzzy" not in po.read_text(encoding="utf-8")
    with (po.with_suffix(".mo")).open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    def compiled_text(m: str) -> str:
        if "\x04" in m:
            context, msgid = m.split("\x04", 1)
            return compiled.pgettext(context, msgid)
        return compiled.gettext(m)

    stale = [m for m, strs in entries if "\x00" not in m and compiled_text(m) != strs[0]]
    assert stale == [], "run `make messages` to recompile"


def test_pages_are_dutch_without_a_preference(client, db, settings):
    settings.LANGUAGE_CODE = "nl-be"
    assert "Inloggen" in client.get(reverse("core:login")).content.decode()


def test_a_french_browser_gets_french(client, db, settings):
    settings.LANGUAGE_CODE = "nl-be"
    content = client.get(reverse("core:login"), HTTP_ACCEPT_LANGUAGE="fr-BE,fr;q=0.9").content.decode()
    assert "Se connecter" in content or "Connexion" in content


def test_english_stays_available(client, db, settings):
    settings.LANGUAGE_CODE = "nl-be"
    content = client.get(reverse("core:login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Log in" in content
