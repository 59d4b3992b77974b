"""Every interface string has a bokmål translation, and the compiled catalogue is current."""

import ast
import gettext
from dataclasses import dataclass, field
from pathlib import Path

import kunnskap

LOCALE = Path(kunnskap.__file__).parent / "locale" / "nb" / "LC_MESSAGES"


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


def test_every_string_is_translated_to_bokmal():
    entries = parse_po(LOCALE / "django.po")
    assert len(entries) > 100
    untranslated = [e.msgid for e in entries if not all(e.translations.values())]
    assert untranslated == []
    assert [e.msgid for e in entries if e.fuzzy] == []


def test_the_compiled_catalogue_matches_the_source():
    with (LOCALE / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = []
    for entry in parse_po(LOCALE / "django.po"):
        if entry.plural:
            compiled = catalogue.ngettext(entry.msgid, entry.plural, 1)
            expected = entry.translations["msgstr[0]"]
        else:
            compiled, expected = catalogue.gettext(entry.msgid), entry.translations["msgstr"]
        if compiled != expected:
            stale.append(entry.msgid)
    assert stale == []
