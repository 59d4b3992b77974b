"""Norwegian text analysis shared by both engines: words, stop words, stems, synonyms, typos.

Both engines index and rank the terms made here, so a document scores the same on SQLite and on
PostgreSQL. The stems are the Snowball Norwegian stemmer's (PyStemmer, the same algorithm as
PostgreSQL's `norwegian` configuration) with two Norwegian repairs that Snowball leaves out.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import Stemmer

# Letters and digits of any script; underscores and punctuation split words ("ME/CFS" → me, cfs).
WORD = re.compile(r"[^\W_]+")
MAX_WORD_LENGTH = 64
# Enough to cover the usual misspellings of Norwegian words, æøå included.
ALPHABET = "abcdefghijklmnopqrstuvwxyzæøåé"

# A short list: the function words and adverbs of questions and sentences. Words that are merely
# common ("kommune", "tiltak") stay searchable and get a low weight from their frequency instead.
_STOP_WORDS = """
    og i på av for med til fra om ved hos som at å en ei et den det de dem der her da så
    er var være vært blir bli ble blitt har hadde ha kan kunne skal skulle vil ville bør må
    får få fikk gjør gjøre gjort
    jeg du han hun vi dere meg deg seg oss sin sitt sine min mitt mine vår vårt våre deres
    hans hennes dens dets dennes
    hva hvem hvilken hvilket hvilke hvordan hvorfor hvor når hvis fordi enn eller men også
    ikke ingen noe noen alle annen andre denne dette disse slik sånn mer mest mange mye
    etter før over under mellom mot uten inn ut opp ned finnes fins
    ofte bare veldig nok litt helt svært alltid aldri fortsatt allerede kanskje ganske gjerne
    egentlig derfor likevel
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())

_local = threading.local()


def _stemmer() -> Stemmer.Stemmer:
    # PyStemmer's objects are not thread-safe: one per thread.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("norwegian")
    return stemmer


def words(text: str) -> list[str]:
    """The lower-cased words of a text, in order (stop words included)."""
    # Soft hyphens come with text pasted from word processors and would split a word.
    text = unicodedata.normalize("NFC", text.replace("\u00ad", "")).lower()
    return [w for w in WORD.findall(text) if 1 < len(w) <= MAX_WORD_LENGTH]


def _undouble(stem: str) -> str:
    # Snowball keeps the doubled consonant of inflected forms: "sykehjemmet" → "sykehjemm" but
    # "sykehjem" → "sykehjem". Undoubling puts both forms on one stem.
    if len(stem) >= 4 and stem[-1] == stem[-2] and stem[-1] not in "aeiouyæøå":
        return stem[:-1]
    return stem


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The index term of one lower-cased word."""
    result = _undouble(_stemmer().stemWord(word))
    # Snowball leaves verbal nouns whole: "forebygging" would not meet "forebygge", nor
    # "trening" "trene". Short words keep theirs ("mening", "ting").
    if result.endswith("ing") and len(result) >= 7:
        result = _undouble(result[:-3])
    return result


def terms(text: str) -> list[str]:
    """The index terms of a text: the stems of its words that are not stop words."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS]


@dataclass(frozen=True)
class Analysis:
    """A document as the index sees it."""

    title_words: tuple[str, ...]  # the content words, in order
    body_words: tuple[str, ...]
    title_terms: tuple[str, ...]  # their stems
    body_terms: tuple[str, ...]
    vocabulary: dict[str, str]  # each content word → its stem

    @property
    def stems(self) -> set[str]:
        return set(self.title_terms) | set(self.body_terms)


def analyse(title: str, body: str) -> Analysis:
    """Analyse one document's title and body."""
    title_words = tuple(w for w in words(title) if w not in STOP_WORDS)
    body_words = tuple(w for w in words(body) if w not in STOP_WORDS)
    vocabulary = {word: stem(word) for word in dict.fromkeys(title_words + body_words)}
    return Analysis(
        title_words=title_words,
        body_words=body_words,
        title_terms=tuple(vocabulary[w] for w in title_words),
        body_terms=tuple(vocabulary[w] for w in body_words),
        vocabulary=vocabulary,
    )


def content_words(text: str) -> list[str]:
    """The distinct words of a query that carry meaning, in order."""
    seen: dict[str, None] = {}
    for word in words(text):
        if word not in STOP_WORDS:
            seen.setdefault(word)
    return list(seen)


# Synonyms of the municipal health and care domain, one group per line in data/synonyms.txt.
SYNONYMS_FILE = Path(__file__).parent / "data" / "synonyms.txt"


@cache
def synonym_groups() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Each single-word member's stem → the other members of its groups, as tuples of stems."""
    groups: dict[str, list[tuple[str, ...]]] = {}
    for line in SYNONYMS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        members = [tuple(terms(member)) for member in line.split(",")]
        members = [m for m in members if m]
        for member in members:
            if len(member) != 1:
                continue  # a phrase is offered as a synonym, never looked up as one
            others = [m for m in members if member[0] not in m]
            groups.setdefault(member[0], []).extend(others)
    return {key: tuple(dict.fromkeys(value)) for key, value in groups.items()}


def synonyms(stem_: str) -> tuple[tuple[str, ...], ...]:
    """The synonyms of a stem, each a tuple of stems (a phrase has several)."""
    return synonym_groups().get(stem_, ())


def edits(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away from a word."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in ALPHABET}
    inserts = {a + c + b for a, b in splits for c in ALPHABET}
    return (deletes | transposes | replaces | inserts) - {word}


def distance(a: str, b: str) -> int:
    """The optimal-string-alignment distance (Levenshtein with adjacent transpositions)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def chunks(word: str, parts: int = 3) -> list[str]:
    """A word cut into disjoint pieces: two typos leave at least one of three pieces whole."""
    size, extra = divmod(len(word), parts)
    pieces, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        pieces.append(word[start:end])
        start = end
    return pieces
