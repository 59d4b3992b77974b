"""Search finds Norwegian text the way people write it, on SQLite and on PostgreSQL alike."""

import pytest

from kunnskap.search.selectors import search

from .conftest import keys


@pytest.fixture
def library(index):
    index("fall", "Fallforebygging for hjemmeboende eldre",
          "Fall er den vanligste årsaken til skader hos eldre som bor hjemme. Trening av "
          "styrke og balanse reduserer antall fall.")  # fmt: skip
    index("demens", "Musikkterapi ved demens",
          "Individuelt tilpasset musikk reduserer agitasjon hos personer med demens.")  # fmt: skip
    index("sykehjem", "Ernæring på sykehjemmet",
          "Mange pasienter på sykehjemmene er underernært. Mellommåltider hjelper.")  # fmt: skip
    index("honning", "Honning ved behandling av sår",
          "Medisinsk honning kan legges på kroniske sår.")  # fmt: skip
    index("sarstell", "Sårbehandling i hjemmesykepleien",
          "Felles prosedyrer gir raskere tilheling.")  # fmt: skip
    index("teknologi", "Gevinster av velferdsteknologi",
          "Velferdsteknologien frigjør tid i hjemmetjenesten.")  # fmt: skip
    index("trykksar", "Forebygging av trykksår",
          "Trykkavlastende madrasser og stillingsendring.")  # fmt: skip
    index("ensomhet", "Tiltak mot ensomhet", "Besøksvenner og dagsentre for eldre.")


def test_empty_or_blank_text_finds_nothing(library):
    assert search("") == []
    assert search("   \n\t") == []
    assert search("og i på") == []  # only stop words


@pytest.mark.parametrize("query", ["sykehjem", "sykehjemmet", "sykehjemmene"])
def test_every_inflection_finds_the_others(library, query):
    assert keys(search(query))[0] == "sykehjem"


@pytest.mark.parametrize("query", ["pasient", "pasienter", "pasientene"])
def test_plural_and_definite_forms_meet(library, query):
    assert keys(search(query)) == ["sykehjem"]


def test_a_word_finds_the_compounds_it_is_part_of(library):
    assert {"honning", "sarstell", "trykksar"} <= set(keys(search("sår")))


def test_a_compound_finds_its_parts_written_apart(library):
    assert keys(search("sårbehandling"))[:2] == ["sarstell", "honning"]


@pytest.mark.parametrize(
    ("query", "key"), [("demnes", "demens"), ("velferdsteknlogi", "teknologi")]
)
def test_a_typo_still_finds_the_word(library, query, key):
    assert keys(search(query))[0] == key


def test_two_typos_in_a_long_word_still_find_it(library):
    assert keys(search("velfredsteknlogi"))[0] == "teknologi"


def test_a_whole_question_finds_its_answer(library):
    hits = search("Hvordan kan vi forebygge fall hos eldre som bor hjemme?")
    assert keys(hits)[0] == "fall"


def test_a_synonym_finds_the_word(library):
    assert keys(search("liggesår"))[0] == "trykksar"
    assert keys(search("seniorer"))[0] in {"fall", "ensomhet"}


def test_capitals_and_decomposed_letters_are_the_same_word(library):
    assert keys(search("SÅR"))[0] == "honning"
    assert keys(search("sa\u030ar"))[0] == "honning"  # å as a + combining ring


def test_æøå_are_letters_not_their_ascii_cousins(index):
    index("sar", "Sår på føttene")
    index("sar-ascii", "Sar er et navn")
    assert keys(search("sår")) == ["sar"]


def test_hits_come_best_first_with_scores_between_0_and_1(library):
    hits = search("honning på sår")
    assert keys(hits)[0] == "honning"
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert all(0 < hit.score <= 1 for hit in hits)


def test_the_limit_caps_the_hits(library):
    assert len(search("sår", limit=2)) == 2
    assert search("sår", limit=0) == []


def test_private_documents_are_left_out_unless_asked_for(index):
    index("KB2026-001", "Sansehager for personer med demens", kind="proposal", public=False)
    assert search("sansehager") == []
    assert keys(search("sansehager", public_only=False)) == ["KB2026-001"]


def test_making_a_document_public_makes_it_findable(index):
    index("KB2026-001", "Sansehager", kind="proposal", public=False)
    index("KB2026-001", "Sansehager", kind="proposal", public=True)
    assert keys(search("sansehager")) == ["KB2026-001"]


def test_kinds_narrow_the_search(index):
    index("KB2026-001", "Sansehager ved sykehjem", kind="proposal")
    index("12", "Sansehager og søvn", kind="publication")
    assert keys(search("sansehager", kinds=["proposal"])) == ["KB2026-001"]
    assert keys(search("sansehager", kinds=["publication"])) == ["12"]
    assert len(search("sansehager", kinds=["proposal", "publication"])) == 2
    assert search("sansehager", kinds=[]) == []


def test_the_snippet_marks_the_matched_words(library):
    [hit] = search("agitasjon")
    assert "<mark>agitasjon</mark>" in hit.snippet


def test_the_snippet_escapes_the_text(index):
    index("x", "Skript", "Sår og <script>alert('sår')</script> & mer tekst om sår.")
    [hit] = search("sår")
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet
    assert "&amp;" in hit.snippet
    assert "<mark>Sår</mark>" in hit.snippet


def test_a_long_body_gives_an_excerpt_around_the_match(index):
    filler = " ".join(["Kommunen har mange tjenester for innbyggerne."] * 20)
    index("long", "Lang tekst", f"{filler} Honning hjelper på sår. {filler}")
    [hit] = search("honning")
    assert hit.snippet.startswith("… ") and hit.snippet.endswith(" …")
    assert "<mark>Honning</mark>" in hit.snippet
    assert len(hit.snippet) < 400


@pytest.mark.parametrize(
    "query",
    ['"', '"sår', "*", "sår*", "AND", "sår AND", "OR NOT", "(", "sår)", "-", "-sår", "NEAR(a b)",
     "title:sår", "^sår", "'", "sår'; DROP TABLE x; --", "\\", "%", "_", "sår:*", "a | b & !c",
     "<->", "{sår}", "\x00"],
)  # fmt: skip
def test_search_syntax_in_the_text_is_just_text(library, query):
    search(query)  # does not raise
    search(f"{query} honning")


def test_a_query_of_only_common_words_takes_the_newest_documents_that_hold_them(index, monkeypatch):
    """When even the rarest word of a query is in more than POSTINGS documents, the engine does
    not rank every match: it takes the newest that hold all the query's words, then the newest
    that hold its rarest word, and ranking orders those (on both engines alike)."""
    from kunnskap.search import selectors

    for n in range(12):  # oldest first
        index(f"demens-{n}", f"Demens og hverdagen {n}", "Tiltak i hjemmetjenesten.")
    for n in range(4):
        index(f"musikk-{n}", f"Musikk ved demens {n}", "Sang og musikk.")
    for n in range(3):
        index(f"bare-musikk-{n}", f"Musikk i barnehagen {n}", "Sang.")
    index("privat", "Demens og musikk, ikke offentlig", "Musikk.", public=False)
    monkeypatch.setattr(selectors, "POSTINGS", 5)  # demens: 17 documents, musikk: 8
    monkeypatch.setattr(selectors, "CANDIDATES", 6)

    # Both words: the four that hold both come first, then the newest that hold "musikk".
    hits = keys(search("musikk demens", limit=6))
    assert sorted(hits[:4]) == [f"musikk-{n}" for n in range(4)]
    assert sorted(hits[4:]) == ["bare-musikk-1", "bare-musikk-2"]
    # One common word: the six newest that hold it, never the private one.
    assert sorted(keys(search("demens", limit=6))) == sorted(
        ["musikk-0", "musikk-1", "musikk-2", "musikk-3", "demens-10", "demens-11"]
    )
    # Below the budget nothing changes: every match is ranked.
    monkeypatch.setattr(selectors, "POSTINGS", 5_000)
    assert len(search("demens", limit=20)) == 16
