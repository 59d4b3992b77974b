"""Norwegian text analysis shared by both engines: words, stop words, stems, synonyms, typos.

Both engines index and rank the terms made here, so a document scores the same on SQLite and on
PostgreSQL. The stems are the Snowball Norwegian stemmer's (PyStemmer, the same algorithm as
PostgreSQL's `norwegian` configuration) with two Norwegian repairs that Snowball leaves out,
then folded: derived forms onto their noun (data/forms.txt: "demente" → demens) and the other
spellings and nynorsk forms onto one word (data/variants.txt: "sjukeheim" → sykehjem). The
folding is part of the index: a change to those files needs `kunnskap reindex`.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
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
DATA = Path(__file__).parent / "data"


def data_lines(name: str) -> list[str]:
    """The lines of a data file without comments and blank lines."""
    lines = (
        line.split("#", 1)[0].strip() for line in (DATA / name).read_text("utf-8").splitlines()
    )
    return [line for line in lines if line]


# Nynorsk function words are a data file (data/stopwords-nn.txt); bokmål's stay above.
STOP_WORDS = frozenset(_STOP_WORDS.split()) | frozenset(
    word for line in data_lines("stopwords-nn.txt") for word in line.split()
)

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


def _snowball(word: str) -> str:
    """The stem of one word before folding: Snowball's, with three repairs."""
    # A short word's final s is its own, not a genitive: "kols" is not "kol", "ips" not "ip".
    if len(word) <= 4 and word.endswith("s"):
        return word
    result = _undouble(_stemmer().stemWord(word))
    # Snowball leaves verbal nouns whole: "forebygging" would not meet "forebygge", nor
    # "trening" "trene". Short words keep theirs ("mening", "ting").
    if result.endswith("ing") and len(result) >= 7:
        result = _undouble(result[:-3])
    return result


FOLDING_FILES = ("forms.txt", "variants.txt")


@cache
def folding() -> dict[str, str]:
    """Each stem of a derived form or another spelling → the stem of the word it folds onto.

    Raises ValueError when one stem would fold onto two words, or onto a word that is itself
    folded (the files would then depend on their order)."""
    folded: dict[str, str] = {}
    for name in FOLDING_FILES:
        for line in data_lines(name):
            word, _, others = line.partition(":")
            target = _snowball(word.strip().lower())
            for other in others.split(","):
                source = _snowball(other.strip().lower())
                if not source or source == target:
                    continue
                if folded.get(source, target) != target:
                    raise ValueError(f"{name}: {other.strip()!r} folds onto two words")
                folded[source] = target
    chained = set(folded) & set(folded.values())
    if chained:
        raise ValueError(f"Folded onto a word that is folded itself: {sorted(chained)}")
    return folded


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The index term of one lower-cased word."""
    result = _snowball(word)
    return folding().get(result, result)


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


# The thesaurus of the municipal health and care domain (data/thesaurus.txt): synonym groups
# and narrower terms. It is read at query time only, so a change needs no reindex.
THESAURUS_FILE = DATA / "thesaurus.txt"

type Expansions = dict[str, tuple[tuple[str, ...], ...]]


@dataclass(frozen=True)
class Thesaurus:
    """Each single-word term's stem → its synonyms, and → its narrower terms, as stem tuples."""

    synonyms: Expansions
    narrower: Expansions
    labels: dict[tuple[str, ...], str]  # each member's stems → the member as written

    @cached_property
    def words(self) -> frozenset[str]:
        """The stems of every single-word term."""
        return frozenset(stems[0] for stems in self.labels if len(stems) == 1)


def thesaurus_parse(lines: list[str]) -> Thesaurus:
    """Read thesaurus lines: "a, b, c" (synonyms) or "broader > narrower, narrower"."""
    synonyms: dict[str, list[tuple[str, ...]]] = {}
    narrower: dict[str, list[tuple[str, ...]]] = {}
    labels: dict[tuple[str, ...], str] = {}
    for line in lines:
        for written in line.replace(">", ",").split(","):
            labels.setdefault(tuple(terms(written)), " ".join(written.split()))
        broader, arrow, rest = line.partition(">")
        if arrow:
            key = tuple(terms(broader))
            if len(key) == 1:  # a phrase is never looked up
                narrower.setdefault(key[0], []).extend(
                    m for m in (tuple(terms(member)) for member in rest.split(",")) if m
                )
            continue
        members = [m for m in (tuple(terms(member)) for member in line.split(",")) if m]
        for member in members:
            if len(member) != 1:
                continue  # a phrase is offered as a synonym, never looked up as one
            others = [m for m in members if member[0] not in m]
            synonyms.setdefault(member[0], []).extend(others)

    def distinct(found: dict[str, list[tuple[str, ...]]]) -> Expansions:
        return {key: tuple(dict.fromkeys(value)) for key, value in found.items()}

    return Thesaurus(synonyms=distinct(synonyms), narrower=distinct(narrower), labels=labels)


@cache
def thesaurus_file() -> Thesaurus:
    """The thesaurus of data/thesaurus.txt."""
    return thesaurus_parse(data_lines(THESAURUS_FILE.name))


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
