"""Derived forms, spelling variants and nynorsk fold onto one index term, from the data files."""

import pytest

from kunnskap.search import analysis
from kunnskap.search.analysis import STOP_WORDS, folding, stem, thesaurus_file, thesaurus_parse

# The health and care language the issue names, and more of the same kinds.
SAME_TERM = [
    # derived forms: adjectives, participles and persons reach their noun
    ("demente", "demens"),
    ("demensrammede", "demens"),
    ("underernærte", "underernæring"),
    ("mobbet", "mobbing"),
    ("deprimerte", "depresjon"),
    ("diabetikere", "diabetes"),
    ("inkontinente", "inkontinens"),
    ("sykmeldte", "sykmelding"),
    ("medisindispensere", "medisindispenser"),
    # the other bokmål spelling
    ("sykemeldinger", "sykmelding"),
    ("sykemelding", "sykmelding"),
    # nynorsk
    ("sjukmelding", "sykmelding"),
    ("sjukeheim", "sykehjem"),
    ("sjukeheimen", "sykehjemmet"),
    ("einsemd", "ensomhet"),
    ("einsemda", "ensomheten"),
    ("heime", "hjemme"),
    ("sjukepleiarar", "sykepleiere"),
    ("førebygging", "forebygging"),
    ("sjølvmord", "selvmord"),
    ("pårørande", "pårørende"),
    ("bebuarar", "beboere"),
]


@pytest.mark.parametrize(("form", "word"), SAME_TERM)
def test_a_form_or_spelling_has_the_term_of_its_word(form, word):
    assert stem(form) == stem(word)


@pytest.mark.parametrize(
    ("one", "other"), [("sykehjem", "hjemme"), ("vegg", "vei"), ("kols", "kol")]
)
def test_different_words_keep_different_terms(one, other):
    assert stem(one) != stem(other)


def test_a_short_word_keeps_its_final_s():
    assert stem("kols") == "kols" != stem("kol")
    assert stem("ips") == "ips"


def test_the_folding_files_load_without_conflicts():
    folded = folding()
    assert len(folded) > 60
    assert not set(folded) & set(folded.values())  # no chains


def test_a_word_folded_onto_two_words_is_refused(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("sykehjem: sjukeheim\nsykehus: sjukeheim\n", "utf-8")
    monkeypatch.setattr(analysis, "DATA", tmp_path)
    monkeypatch.setattr(analysis, "FOLDING_FILES", ("a.txt",))
    analysis.folding.cache_clear()
    try:
        with pytest.raises(ValueError, match="two words"):
            analysis.folding()
    finally:
        analysis.folding.cache_clear()


def test_nynorsk_function_words_are_stop_words_but_me_is_not():
    assert {"hjå", "ikkje", "korleis", "kva", "frå"} <= STOP_WORDS
    assert "me" not in STOP_WORDS  # ME/CFS


def test_the_thesaurus_has_abbreviations_synonyms_and_narrower_terms():
    terms = thesaurus_file()
    assert (stem("kronisk"), stem("obstruktiv"), stem("lungesykdom")) in terms.synonyms["kols"]
    assert (stem("hjerneslag"),) in terms.synonyms[stem("slag")]
    assert (stem("trygghetsalarm"),) in terms.narrower[stem("velferdsteknologi")]
    # Narrower terms do not lead back to the broader one.
    assert stem("velferdsteknologi") not in terms.narrower.get(stem("trygghetsalarm"), ())


def test_a_thesaurus_line_names_synonyms_or_narrower_terms():
    parsed = thesaurus_parse(["lar, legemiddelassistert rehabilitering", "sår > trykksår"])
    assert parsed.synonyms["lar"] == ((stem("legemiddelassistert"), stem("rehabilitering")),)
    assert parsed.narrower[stem("sår")] == ((stem("trykksår"),),)
    assert stem("trykksår") not in parsed.synonyms
