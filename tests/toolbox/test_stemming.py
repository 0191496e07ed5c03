import pytest

from zwk.toolbox.stemming import fold, normalise, stem, stems


@pytest.mark.parametrize("word, expected", [
    ("Wohnung", "wohn"), ("Wohnungen", "wohn"), ("Wohnen", "wohn"), ("wohnt", "wohnt"),
    ("Ärzte", "arzt"), ("Arzt", "arzt"), ("Kinder", "kind"), ("Beteiligung", "beteilig"),
    ("Gesundheit", "gesund"), ("Vereine", "verein"), ("Jugendlichen", "jugend"),
])
def test_stem_reduces_german_word_forms(word, expected):
    assert stem(word) == expected


def test_umlauts_and_sharp_s_are_folded():
    assert fold("Öffentlichkeit Straße Bürger") == "offentlichkeit strasse burger"
    assert stem("Bürger") == stem("Burger")


def test_short_words_keep_their_letters():
    assert stem("Tee") == "tee"
    assert stem("es") == "es"


def test_normalise_keeps_each_stem_once_in_order():
    assert normalise("Wohnen und Wohnungen, Wohnraum!") == "wohn und wohnraum wohnen wohnungen"
    assert stems("") == []
