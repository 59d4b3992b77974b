"""Text made safe for XML documents: Word, Excel and feeds."""

import re

# What XML 1.0 forbids: C0 controls but tab, line feed and carriage return; lone surrogates;
# U+FFFE and U+FFFF. Word and Excel files are XML, so they forbid the same.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """The text without the characters XML cannot carry (U+0005 in a title)."""
    return NOT_XML.sub("", text)
