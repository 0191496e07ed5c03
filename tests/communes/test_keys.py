import pytest

from zwk.communes import keys


@pytest.mark.parametrize("ags", ["05958", "05958004", "16051000", "01001000"])
def test_valid_ags(ags):
    assert keys.ags_problem(ags) is None


@pytest.mark.parametrize("ags, fragment", [
    ("0595800", "7 Stellen"),
    ("05958-04", "nur Ziffern"),
    ("17958004", "Länderkennung"),
    ("00958004", "Länderkennung"),
    ("059580041", "9 Stellen"),
])
def test_invalid_ags_says_why_in_german(ags, fragment):
    assert fragment in keys.ags_problem(ags)


def test_ars_contains_the_ags():
    assert keys.ars_problem("059580004004") is None
    assert keys.ags_from_ars("059580004004") == "05958004"


@pytest.mark.parametrize("ars", ["05958000400", "0595800040041", "x59580004004", "189580004004"])
def test_invalid_ars(ars):
    assert keys.ars_problem(ars) is not None
