"""Every interface string has a bokmål translation, and the compiled catalogue is current."""

import gettext
from pathlib import Path

import kunnskap

LOCALE = Path(kunnskap.__file__).parent / "locale" / "nb" / "LC_MESSAGES"


def parse_po(path: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of each entry, joining continued lines and plural forms."""
    entries, msgid, msgstr, fuzzy, field = [], None, "", False, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            msgid, field = line[7:-1], "id"
        elif line.startswith("msgid_plural"):
            field = "plural"
        elif line.startswith("msgstr"):
            msgstr += line.split(" ", 1)[1][1:-1] or "\0" if "[" in line else line[8:-1]
            field = "str"
        elif line.startswith('"') and field == "id":
            msgid += line[1:-1]
        elif line.startswith('"') and field == "str":
            msgstr += line[1:-1]
        elif not line.strip() and msgid is not None:
            entries.append((msgid, msgstr, fuzzy))
            msgid, msgstr, fuzzy, field = None, "", False, None
    return [entry for entry in entries if entry[0]]


def test_every_string_is_translated_to_bokmal():
    entries = parse_po(LOCALE / "django.po")
    assert len(entries) > 100
    untranslated = [
        msgid for msgid, msgstr, _ in entries if not msgstr.strip("\0") or "\0" in msgstr
    ]
    fuzzy = [msgid for msgid, _, is_fuzzy in entries if is_fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalogue_matches_the_source():
    catalogue = gettext.GNUTranslations((LOCALE / "django.mo").open("rb"))
    entries = parse_po(LOCALE / "django.po")
    singular = [(msgid, msgstr) for msgid, msgstr, _ in entries if "\0" not in msgstr]
    stale = [
        msgid
        for msgid, msgstr in singular
        if catalogue.gettext(msgid.encode().decode("unicode_escape"))
        == msgid.encode().decode("unicode_escape")
        and msgstr != msgid
    ]
    assert stale == []
