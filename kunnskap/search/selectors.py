"""Reads of the search index: the best documents for a text, with highlighted snippets.

A query is cut into concepts, one per content word. Each concept is matched by variants found
through the vocabulary: the word's own stem (so every inflection, derived form, spelling
variant and nynorsk form: see analysis.py), its synonyms and abbreviations from the thesaurus,
its narrower terms ("velferdsteknologi" → trygghetsalarm), the spellings one typo away when the
word is unknown, the parts of a compound ("sårbehandling" → sår + behandling, and their
synonyms: "medisinsamstemming" → legemiddelsamstemming) and the compounds that contain it at a
boundary the analysis can justify ("sår" → "trykksår", never "kol" → "skolefravær"). The
engine finds up to
CANDIDATES documents holding any variant (or, when every word is common, the newest holding
them: see `_broad`); each is then scored here, the same way on SQLite and on PostgreSQL:

    score = Σ idf(concept) · match(concept) / Σ idf(concept)

where match is the best variant's weight times where it was found (title, or body), so a score
of 1 means every concept was found as itself in the title, and scores compare across engines.
A hit below MIN_SCORE, or below RELATIVE_FLOOR of the best hit, is left out: it matched only
through a weak expansion (a part of a compound, a word of a phrase) while others matched well.
"""

import html
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.safestring import mark_safe

from .analysis import (
    STOP_WORDS,
    WORD,
    Thesaurus,
    chunks,
    content_words,
    distance,
    edits,
    folding,
    stem,
)
from .engines import Candidate, engine
from .models import ALL_DOCUMENTS, SearchDocument
from .thesaurus import thesaurus

CANDIDATES = 200  # documents re-ranked per query; the engine's own rank picks them
# How many documents the engine may go through to pick the candidates: the rarest stems come
# first, and common ones ("eldre" in a tenth of the index) only while the budget lasts. Ranking
# still counts every stem; a document found only through common stems would score low anyway.
POSTINGS = 5_000
MAX_CONCEPTS = 32  # a pasted paragraph is cut here
COMPOUNDS = 30  # most frequent compounds tried per query word
# Compounds the engine looks for, over all query words: each stem makes the engine's own rank
# dearer (PostgreSQL ranks every match against every stem of the query).
ENGINE_COMPOUNDS = 10
TYPOS = 3  # most frequent corrections kept per unknown word
TWO_TYPO_NEIGHBOURS = 200  # words tried per piece of a long unknown word

# What each kind of match is worth; 1 is the word itself or one of its inflections.
EXACT = 1.0
SYNONYM = 0.9  # a synonym or abbreviation from the thesaurus
TYPO = 0.85
NARROWER = 0.75  # a narrower term from the thesaurus
TWO_TYPOS = 0.7
PARTS = 0.6  # all parts of a compound query word, found apart
COMPOUND = 0.5  # a compound that contains the query word
# A hit is listed when its score is at least MIN_SCORE and at least RELATIVE_FLOOR of the best
# hit's: "fallforebygging" lists the text on fall prevention, not every text on prevention.
MIN_SCORE = 0.25
RELATIVE_FLOOR = 0.4
# Words shorter than this match whole words and the thesaurus, and a compound only where the
# rest of it is a known word: "kom" (from "kommer") is not a part of "kommunikasjon".
SHORT_WORD = 4
# Where it was found: the title says what a document is about; the body, what it mentions.
IN_TITLE = 1.0
IN_BODY = 0.7
REPEATED_IN_BODY = 0.05  # per further mention, twice at most

SNIPPET_WORDS = 30
SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Match:
    """Why a document was found: a word of it, and how it answers a word of the query."""

    term: str  # the word as the document writes it
    word: str  # the query word it answers
    relation: str  # one of RELATIONS


# How a document's word answers a query word, by the tier of the variant that matched.
RELATIONS = ("same", "spelling", "synonym", "narrower", "part", "compound")

type Reason = tuple[str, int, tuple[str, ...]]  # query word, tier, stems matched


class _Snippets:
    """Snippets of one result list, made when first read: a list of 200 candidates usually
    shows ten, and the bodies are read in one query for all of them."""

    def __init__(self, ranked: list[tuple[int, set[str], list[Reason]]]) -> None:
        self._matched = {id_: matched for id_, matched, _ in ranked}
        self._reasons = {id_: reasons for id_, _, reasons in ranked}
        self._texts: dict[int, tuple[str, str]] | None = None
        self._made: dict[int, str] = {}

    def _text(self, document_id: int) -> tuple[str, str]:
        if self._texts is None:
            self._texts = {
                pk: (title, body)
                for pk, title, body in SearchDocument.objects.filter(
                    pk__in=list(self._matched)
                ).values_list("pk", "title", "body")
            }
        return self._texts.get(document_id, ("", ""))

    def of(self, document_id: int) -> str:
        if document_id not in self._made:
            body = self._text(document_id)[1]
            self._made[document_id] = snippet(body, self._matched[document_id])
        return self._made[document_id]

    def why(self, document_id: int) -> list[Match]:
        title, body = self._text(document_id)
        words: dict[str, str] = {}
        for word in WORD.findall(f"{title} {body}"):
            words.setdefault(_stem_of(word), word)
        return [
            Match(term=words.get(stems[0], stems[0]), word=query_word, relation=RELATIONS[tier])
            for query_word, tier, stems in self._reasons.get(document_id, [])
            if stems
        ]


@dataclass(frozen=True)
class Hit:
    """One document found, best first in a result list."""

    kind: str
    key: str
    title: str
    score: float  # 0..1, comparable across queries and engines
    document_id: int = field(default=0, compare=False, repr=False)
    snippets: _Snippets | None = field(default=None, compare=False, repr=False)

    @property
    def snippet(self) -> str:
        """HTML: escaped text with the matched words in <mark>."""
        return self.snippets.of(self.document_id) if self.snippets is not None else ""

    @property
    def why(self) -> list[Match]:
        """Which words of the document answered which words of the query, and how."""
        return self.snippets.why(self.document_id) if self.snippets is not None else []


@dataclass(frozen=True)
class Variant:
    stems: tuple[str, ...]  # all must be present for the full weight
    weight: float
    # Whether some of the stems earn a share of the weight (the parts of a compound query word,
    # by their rarity), or only all of them (a phrase: "kronisk" alone is not KOLS).
    partial: bool = False


# The tiers of a concept's variants, best first: its frequency comes from the first non-empty.
OWN, CORRECTED, SYNONYMS, NARROWER_TERMS, SPLIT, CONTAINED = TIERS = range(6)


@dataclass
class Concept:
    word: str
    stem: str
    tiers: list[list[Variant]] = field(default_factory=lambda: [[] for _ in TIERS])
    idf: float = 0.0

    @property
    def variants(self) -> list[Variant]:
        return [variant for tier in self.tiers for variant in tier]


def search(
    text: str, *, kinds: Sequence[str] | None = None, limit: int = 10, public_only: bool = True
) -> list[Hit]:
    """Best first. Empty or whitespace text returns []."""
    if limit <= 0 or (kinds is not None and not kinds):
        return []
    concepts, frequency = _concepts(content_words(text))
    rarest = _rarest(concepts, frequency)
    if not rarest:
        return []
    wanted = max(CANDIDATES, limit)
    if frequency.get(rarest[0], 0) > POSTINGS:
        candidates = _broad(concepts, frequency, rarest[0], kinds, public_only, wanted)
    else:
        candidates = engine().candidates(rarest, kinds=kinds, public_only=public_only, limit=wanted)
    idf = _part_weights(concepts, frequency)
    ranked = sorted(
        (
            scored
            for scored in (_score(c, concepts, idf) for c in candidates)
            if scored[0] >= MIN_SCORE
        ),
        key=lambda scored: (-scored[0], scored[2].kind, scored[2].key),
    )
    if ranked:
        floor = ranked[0][0] * RELATIVE_FLOOR
        ranked = [scored for scored in ranked[:limit] if scored[0] >= floor]
    snippets = _Snippets([(c.id, matched, reasons) for _, matched, c, reasons in ranked])
    return [
        Hit(
            kind=c.kind,
            key=c.key,
            title=c.title,
            score=score,
            document_id=c.id,
            snippets=snippets,
        )
        for score, _matched, c, _reasons in ranked
    ]


@dataclass(frozen=True)
class Explanation:
    """What a search tried, for a page that found nothing close."""

    expansions: list[tuple[str, list[str]]]  # each query word with the thesaurus terms tried
    suggestion: str  # the text with its unknown words spelled as the index knows them, or ""


def explain(text: str) -> Explanation:
    """The thesaurus terms a search for the text tried, and a spelling the index knows for each
    unknown word ("did you mean")."""
    terms = thesaurus()
    query_words = content_words(text)[:MAX_CONCEPTS]
    expansions = []
    for word in query_words:
        related = terms.synonyms.get(stem(word), ()) + terms.narrower.get(stem(word), ())
        tried = [terms.labels.get(member, " ".join(member)) for member in related]
        if tried:
            expansions.append((word, list(dict.fromkeys(tried))))
    frequency = _frequencies({stem(word) for word in query_words})
    unknown = [
        word
        for word in query_words
        if len(word) >= SHORT_WORD
        and not frequency.get(stem(word))
        and stem(word) not in terms.synonyms
    ]
    spelled = {word: near for word in unknown if (near := _nearest(word))}
    suggestion = ""
    if spelled:
        suggestion = WORD.sub(lambda m: spelled.get(m.group().lower(), m.group()), text).strip()
    return Explanation(expansions=expansions, suggestion=suggestion)


def _nearest(word: str) -> str:
    """The word of the index nearest an unknown word (one typo, or two in a long word), the most
    common first; "" when there is none."""
    near = engine().word_stems(edits(word))
    if near:
        frequency = _frequencies({s for _, s in near})
        return max(near, key=lambda pair: (frequency.get(pair[1], 0), pair[0]))[0]
    if len(word) >= 9:
        for piece in chunks(word):
            for other, _ in engine().containing(piece, limit=TWO_TYPO_NEIGHBOURS):
                if abs(len(other) - len(word)) <= 2 and distance(word, other) <= 2:
                    return other
    return ""


def _concepts(query_words: list[str]) -> tuple[list[Concept], dict[str, int]]:
    """One concept per distinct stem of the query, with its variants and weight.

    Also returns the document frequency of every stem looked up.
    """
    concepts: dict[str, Concept] = {}
    for word in query_words:
        concepts.setdefault(stem(word), Concept(word=word, stem=stem(word)))
    found = list(concepts.values())[:MAX_CONCEPTS]
    terms = thesaurus()
    splits = {c.word: _splits(c.word) for c in found}
    swapped = {c.word: _swapped(splits[c.word], terms) for c in found}
    frequency = _frequencies(
        {ALL_DOCUMENTS}
        | {c.stem for c in found}
        | {s for pairs in splits.values() for pair in pairs for s in pair}
        | {s for pairs in swapped.values() for pair in pairs for s in pair}
        | {s for c in found for synonym in terms.synonyms.get(c.stem, ()) for s in synonym}
        | {s for c in found for narrower in terms.narrower.get(c.stem, ()) for s in narrower}
    )
    for concept in found:
        if frequency.get(concept.stem):
            concept.tiers[OWN].append(Variant((concept.stem,), EXACT))
        for synonym in terms.synonyms.get(concept.stem, ()):
            if all(frequency.get(s) for s in synonym):
                concept.tiers[SYNONYMS].append(Variant(synonym, SYNONYM))
        for narrower in terms.narrower.get(concept.stem, ()):
            if all(frequency.get(s) for s in narrower) and narrower != (concept.stem,):
                concept.tiers[NARROWER_TERMS].append(Variant(narrower, NARROWER))
        # A compound of a part's synonym ("medisin" + "samstemming" → legemiddelsamstemming)
        # is the same thing in other words.
        for compound in swapped[concept.word]:
            if len(compound) == 1 and frequency.get(compound[0]):
                concept.tiers[SYNONYMS].append(Variant(compound, SYNONYM))
        _add_parts(concept, splits[concept.word], swapped[concept.word], frequency)
    _add_corrections(
        [c for c in found if not any(c.tiers[OWN] + c.tiers[SYNONYMS] + c.tiers[NARROWER_TERMS])],
        frequency,
    )
    _add_compounds(found)
    frequency |= _frequencies(
        {s for c in found for v in c.variants for s in v.stems} - frequency.keys()
    )
    _weigh(found, frequency)
    return found, frequency


def _broad(
    concepts: list[Concept],
    frequency: dict[str, int],
    rarest: str,
    kinds: Sequence[str] | None,
    public_only: bool,
    limit: int,
) -> list[Candidate]:
    """Candidates for a query whose every word is common: even its rarest stem is in more than
    POSTINGS documents, too many to rank them all (the engine reads each one; at 100,000
    documents a word in a fifth of them took 80–120 ms on PostgreSQL). Instead the newest
    documents that hold every word of the query as itself, then the newest that hold its rarest
    stem; ranking then orders them as any others."""
    required = sorted({c.stem for c in concepts if frequency.get(c.stem)})
    found: list[Candidate] = []
    if len(required) > 1:
        found = engine().recent(required, kinds=kinds, public_only=public_only, limit=limit)
    if len(found) < limit:
        seen = {candidate.id for candidate in found}
        more = engine().recent([rarest], kinds=kinds, public_only=public_only, limit=limit)
        found += [candidate for candidate in more if candidate.id not in seen]
    return found[:limit]


def _add_parts(
    concept: Concept,
    splits: list[tuple[str, ...]],
    swapped: list[tuple[str, ...]],
    frequency: dict[str, int],
) -> None:
    """Match a compound query word by its parts written apart, the best reading first.

    A reading counts when both parts are known words; a part's synonyms stand in for it
    ("slagpasienter" → hjerneslag + pasient). Each part earns by its rarity (see
    `_part_weights`), so a text that holds only the common part ("forebygging" for
    "fallforebygging") earns little."""
    readings = [pair for pair in splits if all(frequency.get(s) for s in pair)]
    if readings:
        best = max(readings, key=lambda pair: (min(map(len, pair)), len(pair[0])))
        concept.tiers[SPLIT].append(Variant(best, PARTS, partial=True))
    for pair in swapped:
        if len(pair) == 2 and all(frequency.get(s) for s in pair):
            concept.tiers[SPLIT].append(Variant(pair, PARTS * SYNONYM, partial=True))


def _swapped(splits: list[tuple[str, ...]], terms: Thesaurus) -> list[tuple[str, ...]]:
    """Readings of a compound with one part replaced by a single-word synonym: each as the
    stem of the new compound (one stem), and as the two parts apart (two stems)."""
    found: list[tuple[str, ...]] = []
    for head, tail in (pair for pair in splits if len(pair) == 2):
        for synonym in terms.synonyms.get(head, ()):
            if len(synonym) == 1:
                found += [(stem(synonym[0] + tail),), (synonym[0], tail)]
        for synonym in terms.synonyms.get(tail, ()):
            if len(synonym) == 1:
                found.append((head, synonym[0]))
    return list(dict.fromkeys(found))


def _part_weights(concepts: list[Concept], frequency: dict[str, int]) -> dict[str, float]:
    """The inverse document frequency of each stem of a partial variant."""
    total = frequency.get(ALL_DOCUMENTS, 0)
    return {
        s: math.log(1 + (total - frequency.get(s, 0) + 0.5) / (frequency.get(s, 0) + 0.5))
        for c in concepts
        for v in c.variants
        if v.partial
        for s in v.stems
    }


def _rarest(concepts: list[Concept], frequency: dict[str, int]) -> list[str]:
    """The stems the engine looks for, rarest first: the query words' own stems, corrections,
    synonyms and parts whose documents add up to at most POSTINGS (always at least one), then,
    while the budget lasts, the ENGINE_COMPOUNDS rarest compounds that contain a query word.
    Compounds are the weakest match and often the rarest stems: first in line, thirty of them
    used up the budget and the query words themselves were left out."""
    primary = {s for c in concepts for tier in c.tiers[:CONTAINED] for v in tier for s in v.stems}
    compounds = {s for c in concepts for v in c.tiers[CONTAINED] for s in v.stems} - primary
    chosen: list[str] = []
    total = 0
    for group, most in ((primary, len(primary)), (compounds, ENGINE_COMPOUNDS)):
        for s in sorted(group, key=lambda s: (frequency.get(s, 0), s))[:most]:
            total += frequency.get(s, 0)
            if chosen and total > POSTINGS:
                return chosen
            chosen.append(s)
    return chosen


def _frequencies(stems: Iterable[str]) -> dict[str, int]:
    return engine().frequencies(set(stems))


def _splits(word: str) -> list[tuple[str, ...]]:
    """The ways to read a word as two words, each given as stems ("velferds|teknologi")."""
    if len(word) < 6:
        return []
    pairs: list[tuple[str, ...]] = []
    for i in range(3, len(word) - 2):
        head, tail = word[:i], word[i:]
        # Norwegian joins many compounds with an s or an e: "velferd-s-teknologi".
        heads = [head, head[:-1]] if head[-1] in "se" and len(head) > 3 else [head]
        pairs += [
            (stem(h), stem(tail)) for h in heads if h not in STOP_WORDS and tail not in STOP_WORDS
        ]
    return pairs


def _add_corrections(unknown: list[Concept], frequency: dict[str, int]) -> None:
    """Give each unknown word of four letters or more the known spellings one typo away."""
    unknown = [c for c in unknown if len(c.word) >= SHORT_WORD]
    if not unknown:
        return
    near = {c.word: edits(c.word) for c in unknown}
    everything = set().union(*near.values())
    # One typo from the word itself, or from a stem ("velferdsteknlogi" → velferdsteknologi).
    stems_of: dict[str, set[str]] = defaultdict(set)
    for word, word_stem in engine().word_stems(everything):
        stems_of[word].add(word_stem)
    frequency |= _frequencies(everything | {s for ss in stems_of.values() for s in ss})
    for concept in unknown:
        stems_ = {s for e in near[concept.word] for s in stems_of.get(e, ())}
        stems_ |= {e for e in near[concept.word] if frequency.get(e)}
        weight = TYPO
        if not stems_ and len(concept.word) >= 9:
            stems_, weight = _two_typos_away(concept.word), TWO_TYPOS
            frequency |= _frequencies(stems_ - frequency.keys())
        best = sorted(stems_, key=lambda s: (-frequency.get(s, 0), s))[:TYPOS]
        concept.tiers[CORRECTED] += [Variant((s,), weight) for s in best if frequency.get(s)]


def _two_typos_away(word: str) -> set[str]:
    # Two typos leave one of three pieces of the word whole, so a known spelling holds it.
    found = set()
    for piece in chunks(word):
        for other, other_stem in engine().containing(piece, limit=TWO_TYPO_NEIGHBOURS):
            if abs(len(other) - len(word)) <= 2 and distance(word, other) <= 2:
                found.add(other_stem)
    return found


def _add_compounds(concepts: list[Concept]) -> None:
    """Let a word find the compounds that hold it: "sår" finds "trykksår" and "sårbehandling".

    A compound counts only where the analysis can justify the boundary (see `_readings`): a
    known word on the other side, an inflection, or a linking -s- or -e- after the word."""
    found: dict[int, list[tuple[str, bool, list[Reading]]]] = {}
    for number, concept in enumerate(concepts):
        # The word and its stem: "demens" stands in "demensomsorgen", the stem of
        # "sykehjemmet" in "sykehjemsbeboere". A stem cut short below four letters is no
        # part of anything: "kol" of "kols" is not in "pårørendeskoler".
        fragments = [
            f
            for f in dict.fromkeys((concept.word, concept.stem))
            if len(f) >= SHORT_WORD or (f == concept.word and len(f) >= 3)
        ]
        known = {s for v in concept.variants for s in v.stems}
        seen: set[str] = set()
        for fragment in fragments:
            for compound, compound_stem in engine().containing(fragment, limit=2 * COMPOUNDS):
                if compound_stem in known or compound in seen:
                    continue
                seen.add(compound)
                if readings := _readings(compound, fragment):
                    long = len(fragment) >= SHORT_WORD
                    found.setdefault(number, []).append((compound_stem, long, readings))
    sides = [side for entries in found.values() for _, _, rs in entries for r in rs for side in r]
    stems = {stem(text) for text, exact in sides if text and not exact}
    frequency = _frequencies(stems) if stems else {}
    words = {text for text, exact in sides if exact}
    vocabulary = {word for word, _ in engine().word_stems(words)} if words else set()

    # The words the project's own lists know, beside those of the index: the thesaurus and the
    # folded forms ("forebygging" is a word even in an index that holds it only in compounds).
    lexicon = thesaurus().words | frozenset(folding().values())

    def known_side(text: str, exact: bool) -> bool:
        if not text:
            return True
        if exact:
            return text in vocabulary
        return bool(frequency.get(stem(text))) or stem(text) in lexicon

    # A compound the thesaurus names is a word in its own right ("vekttap" for "vekt"), but not
    # for a short fragment ("lar" is not in "trygghetsalarm").
    for number, entries in found.items():
        compounds = [
            compound_stem
            for compound_stem, long, readings in entries
            if (long and compound_stem in lexicon)
            or any(all(known_side(*side) for side in reading) for reading in readings)
        ]
        for compound_stem in list(dict.fromkeys(compounds))[:COMPOUNDS]:
            concepts[number].tiers[CONTAINED].append(Variant((compound_stem,), COMPOUND))


INFLECTION = 3  # letters after a word that may be its inflection ("trykksår|et")
LINKS = "se"  # the letters that join the parts of Norwegian compounds ("velferd|s|teknologi")

# The sides of a fragment in a compound that must be known for the reading to hold: each a
# text ("" for nothing to check) and whether it must be a word of the index as written (beside
# a short fragment) rather than any form of a known stem.
type Reading = tuple[tuple[str, bool], tuple[str, bool]]


def _readings(compound: str, fragment: str) -> list[Reading]:
    """The ways a fragment can stand in a compound as one of its parts.

    A fragment of four letters or more is a part where the rest on each side is a known word
    (after a linking -s- or -e-: "hjemme|sykepleie", "demens|omsorgen"), an inflection
    ("trykksår|et"), or a linking letter and more after it ("hørsel|s|tap"). A shorter one needs
    a word of the index as written on the other side, of four letters or more, and no linking
    letter: "sår" is a part of "trykksår" and "sårbehandling", "kom" not of "kommunikasjon" nor
    of "innkomst", "kol" not of "skolefravær" nor of "pårørendeskoler"."""
    short = len(fragment) < SHORT_WORD
    readings: list[Reading] = []
    start = compound.find(fragment)
    while start >= 0:
        left, right = compound[:start], compound[start + len(fragment) :]
        lefts = _sides(left, link=left[-1:] in tuple(LINKS), strip=left[:-1], short=short)
        if not right:
            rights = [("", False)]
        else:
            rights = _sides(right, link=right[:1] in tuple(LINKS), strip=right[1:], short=short)
            if left and len(right) <= INFLECTION:
                rights.append(("", False))  # an inflection of the compound
            if not left and not short and right[:1] in tuple(LINKS) and len(right) > 3:
                rights.append(("", False))  # a linking letter after the word
        readings += [(a, b) for a in lefts for b in rights if left or right]
        start = compound.find(fragment, start + 1)
    return readings


def _sides(side: str, *, link: bool, strip: str, short: bool) -> list[tuple[str, bool]]:
    """A side of a fragment as the words that may stand there."""
    if not side:
        return [("", False)]
    if short:
        return [(side, True)] if len(side) >= SHORT_WORD else []
    found = [(side, False)] if len(side) >= 3 else []
    if link and len(strip) >= 3:
        found.append((strip, False))
    return found


def _weigh(concepts: list[Concept], frequency: dict[str, int]) -> None:
    """Set each concept's inverse document frequency; rare words decide more."""
    total = frequency.get(ALL_DOCUMENTS, 0)
    for concept in concepts:
        tier = next((tier for tier in concept.tiers if tier), [])
        documents = max((frequency.get(s, 0) for v in tier for s in v.stems), default=0)
        if documents:
            concept.idf = math.log(1 + (total - documents + 0.5) / (documents + 0.5))
    known = [c.idf for c in concepts if c.idf]
    # A word no document has still counts, as much as an average word: a query half about
    # something unknown matches at most half.
    for concept in concepts:
        if not concept.idf:
            concept.idf = sum(known) / len(known) if known else 1.0


def _score(
    candidate: Candidate, concepts: list[Concept], idf: dict[str, float]
) -> tuple[float, set[str], Candidate, list[Reason]]:
    """The candidate's score in 0..1, the stems that earned it in the body, and why."""
    title = Counter(candidate.title_terms.split())
    body = Counter(candidate.body_terms.split())

    def found(s: str) -> float:
        if s in title:
            return IN_TITLE
        if s in body:
            return IN_BODY + REPEATED_IN_BODY * min(body[s] - 1, 2)
        return 0.0

    earned = 0.0
    matched: set[str] = set()
    reasons: list[Reason] = []
    for concept in concepts:
        best, best_stems, best_tier = 0.0, tuple[str, ...](), OWN
        for tier, variant in ((t, v) for t, vs in enumerate(concept.tiers) for v in vs):
            if variant.partial:
                share = sum(idf[s] * found(s) for s in variant.stems)
                value = variant.weight * share / (sum(idf[s] for s in variant.stems) or 1)
            else:
                places = [found(s) for s in variant.stems]
                value = variant.weight * sum(places) / len(places) if all(places) else 0.0
            if value > best:
                best, best_stems, best_tier = value, variant.stems, tier
        earned += concept.idf * best
        matched.update(s for s in best_stems if s in body)
        if best:
            found_stems = tuple(s for s in best_stems if s in title or s in body)
            reasons.append((concept.word, best_tier, found_stems))
    weight = sum(c.idf for c in concepts)
    return (round(earned / weight, 4) if weight else 0.0), matched, candidate, reasons


def snippet(body: str, stems: set[str], words: int = SNIPPET_WORDS) -> str:
    """A short excerpt of the body around the matched words, escaped, with the words marked."""
    tokens = [match.span() for match in WORD.finditer(body)]
    if not tokens:
        return ""
    marked = [_stem_of(body[a:b]) in stems for a, b in tokens]
    start = _best_window(marked, words)
    stop = min(start + words, len(tokens))
    begin = 0 if start == 0 else tokens[start][0]
    end = len(body) if stop == len(tokens) else tokens[stop - 1][1]
    parts = ["… " if begin else ""]
    position = begin
    for i in range(start, stop):
        if marked[i]:
            a, b = tokens[i]
            parts += [_plain(body[position:a]), "<mark>", html.escape(body[a:b]), "</mark>"]
            position = b
    parts += [_plain(body[position:end]), " …" if end < len(body) else ""]
    return mark_safe("".join(parts).strip())


@lru_cache(maxsize=100_000)
def _stem_of(word: str) -> str:
    word = unicodedata.normalize("NFC", word).lower()
    return "" if word in STOP_WORDS else stem(word)


def _best_window(marked: list[bool], size: int) -> int:
    """Where a run of `size` words holds the most matches, starting a little before them."""
    if len(marked) <= size:
        return 0
    count = best_count = sum(marked[:size])
    best = 0
    for start in range(1, len(marked) - size + 1):
        count += marked[start + size - 1] - marked[start - 1]
        if count > best_count:
            best, best_count = start, count
    if best_count:
        first = marked.index(True, best)
        best = max(0, min(best, first - 5))
    return best


def _plain(text: str) -> str:
    return html.escape(SPACES.sub(" ", text))
