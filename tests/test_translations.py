"""Every interface string has a bokmål and a nynorsk translation, every string in the code is
in the catalogues, and the compiled catalogues are current. (English is the msgids themselves.)"""

import ast
import gettext
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import kunnskap

PACKAGE = Path(kunnskap.__file__).parent
TRANSLATED = ["nb", "nn"]


def catalogue(language: str) -> Path:
    return PACKAGE / "locale" / language / "LC_MESSAGES"


@dataclass
class Entry:
    msgid: str = ""
    plural: str = ""
    translations: dict[str, str] = field(default_factory=dict)
    fuzzy: bool = False


def unquote(text: str) -> str:
    # PO strings use C escapes, which Python's string literals share.
    return ast.literal_eval(text.strip())


def parse_po(path: Path) -> list[Entry]:
    entries: list[Entry] = []
    entry, target = Entry(), None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if target is not None:
                entries.append(entry)
            entry, target = Entry(), None
        elif line.startswith("#,"):
            entry.fuzzy = "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural "):
            target = "plural"
            entry.plural = unquote(line[13:])
        elif line.startswith("msgid "):
            target = "msgid"
            entry.msgid = unquote(line[6:])
        elif line.startswith("msgstr"):
            key, _, text = line.partition(" ")
            target = key
            entry.translations[key] = unquote(text)
        elif line.startswith('"'):
            if target in ("msgid", "plural"):
                setattr(entry, target, getattr(entry, target) + unquote(line))
            else:
                entry.translations[target] += unquote(line)
    return [entry for entry in entries if entry.msgid]  # the header has an empty msgid


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_is_translated(language):
    entries = parse_po(catalogue(language) / "django.po")
    assert len(entries) > 1000
    untranslated = [e.msgid for e in entries if not all(e.translations.values())]
    assert untranslated == []
    assert [e.msgid for e in entries if e.fuzzy] == []


def test_bokmal_and_nynorsk_hold_the_same_messages():
    nb, nn = ({e.msgid for e in parse_po(catalogue(lang) / "django.po")} for lang in TRANSLATED)
    assert sorted(nb - nn) == []
    assert sorted(nn - nb) == []


def test_nynorsk_is_not_a_copy_of_bokmal():
    nb = {e.msgid: e.translations for e in parse_po(catalogue("nb") / "django.po")}
    nn = {e.msgid: e.translations for e in parse_po(catalogue("nn") / "django.po")}
    same = [msgid for msgid in nn if nn[msgid] == nb[msgid]]
    # Short words (Status, Tema, Kommune) are the same in both; whole sentences never are.
    assert len(same) < len(nn) / 3
    assert [m for m in same if len(nb[m].get("msgstr", "")) > 70] == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_every_string_in_the_code_is_in_the_catalogues(tmp_path):
    """A fresh `makemessages` over a copy of the code finds no message the catalogues lack."""
    copy = tmp_path / "kunnskap"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    (copy / "locale").mkdir()
    command = [
        *("django-admin", "makemessages", "--locale", "nn", "--no-location"),
        *("--extension", "html,txt,py,subject"),
    ]
    admin = Path(sys.executable).parent / "django-admin"
    subprocess.run([str(admin), *command[1:]], cwd=copy, check=True, capture_output=True)
    in_code = {e.msgid for e in parse_po(copy / "locale" / "nn" / "LC_MESSAGES" / "django.po")}
    assert len(in_code) > 1000
    for language in TRANSLATED:
        known = {e.msgid for e in parse_po(catalogue(language) / "django.po")}
        assert sorted(in_code - known) == [], f"run `make messages` and translate ({language})"
        assert sorted(known - in_code) == [], f"run `make messages` ({language})"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogue_matches_the_source(language):
    with (catalogue(language) / "django.mo").open("rb") as handle:
        compiled_catalogue = gettext.GNUTranslations(handle)
    stale = []
    for entry in parse_po(catalogue(language) / "django.po"):
        if entry.plural:
            compiled = compiled_catalogue.ngettext(entry.msgid, entry.plural, 1)
            expected = entry.translations["msgstr[0]"]
        else:
            compiled = compiled_catalogue.gettext(entry.msgid)
            expected = entry.translations["msgstr"]
        if compiled != expected:
            stale.append(entry.msgid)
    assert stale == []
