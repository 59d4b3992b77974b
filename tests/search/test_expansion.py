"""Short queries as a librarian types them: abbreviations, forms, spellings, nynorsk, the
thesaurus, and no noise from fragments of unrelated words (SQLite and PostgreSQL alike)."""

import pytest

from kunnskap.search import selectors
from kunnskap.search.models import ThesaurusEntry
from kunnskap.search.selectors import search

from .conftest import keys


@pytest.fixture
def library(index):
    index("kols", "Lungerehabilitering for personer med KOLS",
          "Trening og opplæring gir bedre livskvalitet.")  # fmt: skip
    index("skole", "Tiltak mot høyt skolefravær",
          "Elever med høyt fravær står i fare for å falle ut av skolen.")  # fmt: skip
    index("fall", "Fallforebygging for hjemmeboende eldre",
          "Trening av styrke og balanse reduserer antall fall.")  # fmt: skip
    index("delirium", "Forebygging av delirium", "Tidlig mobilisering og nok væske.")
    index("demens", "Musikkterapi ved demens", "Musikk reduserer uro hos personer med demens.")
    index("sykmelding", "Oppfølging av sykmeldte", "Gradert sykmelding gir kortere fravær.")
    index("einsemd", "Einsemd blant bebuarar på sjukeheim",
          "Faste besøksvener kan minske einsemda.")  # fmt: skip
    index("ensomhet", "Tiltak mot ensomhet hos eldre", "Besøksvenner og dagsentre.")
    index("teknologi", "Gevinster av velferdsteknologi", "Teknologien frigjør tid.")
    index("alarm", "Trygghetsalarmer for hjemmeboende", "Alarmen varsler ved fall.")
    index("gps", "GPS-lokalisering ved demens", "Pårørende finner personen som har gått seg bort.")
    index(
        "samstemming", "Legemiddelsamstemming ved utskrivning", "Pasientenes lister stemmer ikke."
    )
    index("slag", "Rehabilitering etter hjerneslag", "Trening av gange de første månedene.")
    index("kommunikasjon", "God kommunikasjon med pårørende", "Samtaler med pasienter.")
    index("hjertesvikt", "Avstandsoppfølging av pasienter med hjertesvikt", "Måling av vekt.")


def test_an_abbreviation_finds_what_it_stands_for_and_no_word_that_holds_its_letters(
    index, library
):
    index("lunge", "Kronisk obstruktiv lungesykdom i kommunen", "Pust og trening.")
    found = keys(search("kols"))
    assert set(found) == {"kols", "lunge"}
    assert found[0] == "kols"  # the abbreviation itself above what it stands for


def test_a_derived_form_finds_its_noun(library):
    assert keys(search("demente")) == ["demens", "gps"]


@pytest.mark.parametrize("query", ["sykemeldinger", "sykemelding", "sjukmelding", "sykmeldt"])
def test_every_spelling_finds_the_same_texts(library, query):
    assert keys(search(query)) == ["sykmelding"]


def test_nynorsk_and_bokmål_find_each_other(library):
    assert keys(search("einsemd hjå eldre"))[:2] == ["ensomhet", "einsemd"]
    assert keys(search("ensomhet på sykehjem"))[0] == "einsemd"
    assert keys(search("sjukeheim")) == ["einsemd"]


def test_a_synonym_of_a_compounds_part_finds_the_compound(library):
    assert keys(search("medisinsamstemming")) == ["samstemming"]
    # "pasient" is a known word of the index; the rarer part decides.
    assert keys(search("slagpasienter"))[0] == "slag"


def test_narrower_terms_come_below_the_term_itself(library):
    hits = search("velferdsteknologi")
    assert keys(hits)[0] == "teknologi"
    assert set(keys(hits)) == {"teknologi", "alarm", "gps", "hjertesvikt"}  # avstandsoppfølging
    assert hits[0].score > hits[1].score


def test_exact_above_synonym_above_narrower(index):
    index("exact", "Velferdsteknologi i kommunen")
    index("synonym", "Helseteknologi i kommunen")
    index("narrower", "Trygghetsalarm i kommunen")
    assert keys(search("velferdsteknologi")) == ["exact", "synonym", "narrower"]


def test_a_fragment_inside_an_unrelated_word_is_no_match(library):
    assert search("kol") == []  # not in "skolefravær"
    assert "kommunikasjon" not in keys(search("kom"))


def test_a_compound_is_not_padded_with_texts_that_hold_one_common_part(library):
    assert keys(search("fallforebygging")) == ["fall"]


def test_a_short_word_finds_compounds_only_beside_a_known_word(index):
    index("trykk", "Forebygging av trykksår", "Trykk over hofter og hæler.")
    index("behandling", "Sårbehandling i hjemmesykepleien", "Behandling av kroniske sår.")
    index("and", "Behandling av depresjon")
    assert set(keys(search("sår"))) == {"trykk", "behandling"}


def test_off_topic_words_find_nothing(library):
    for query in ["fotball", "bilforsikring", "kryptovaluta", "skatt"]:
        assert search(query) == [], query


def test_a_hit_far_below_the_best_is_left_out(library, monkeypatch):
    monkeypatch.setattr(selectors, "RELATIVE_FLOOR", 0.0)
    padded = keys(search("fallforebygging"))
    assert len(padded) > 1
    monkeypatch.setattr(selectors, "RELATIVE_FLOOR", 0.4)
    assert keys(search("fallforebygging")) == ["fall"]


def test_a_thesaurus_entry_takes_effect_without_a_reindex(library):
    assert search("ehelse") == []
    ThesaurusEntry.objects.create(term="ehelse", relation="narrower", related="trygghetsalarm")
    assert keys(search("ehelse")) == ["alarm"]
    entry = ThesaurusEntry.objects.get()
    entry.relation, entry.related = "synonyms", "velferdsteknologi"
    entry.save()
    assert keys(search("ehelse"))[0] == "teknologi"
    entry.delete()
    assert search("ehelse") == []
