"""The service's languages (settings.LANGUAGES: bokmål, nynorsk, English) outside a web page."""

from django.utils.translation import get_language


def word_language() -> str:
    """The active language as Word documents name it: nb-NO, nn-NO or en."""
    language = get_language()
    return f"{language}-NO" if language in ("nb", "nn") else language
