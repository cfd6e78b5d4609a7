import pytest

from cityline.geo.geocoding import normalize_address


@pytest.mark.parametrize(
    ("written", "normalized"),
    [
        ("12  Main Street, ", "12 MAIN ST"),
        ("12 MAIN ST", "12 MAIN ST"),
        ("121 North LaSalle Street", "121 N LASALLE ST"),
        ("121 N. La Salle St.", "121 N LA SALLE ST"),
        ("350 Fifth Avenue", "350 FIFTH AVE"),
        ("350 5th Av", "350 5TH AVE"),
        ("1 West Lake Shore Drive", "1 W LAKE SHORE DR"),
        ("9 Park Place, Apt #4", "9 PARK PL APT 4"),
        ("", ""),
        (" ,.; ", ""),
    ],
)
def test_an_address_is_reduced_to_one_spelling(written, normalized):
    # then
    assert normalize_address(written) == normalized


def test_two_spellings_of_one_address_normalize_alike():
    # then
    assert normalize_address("700 E. Grand Avenue") == normalize_address("700 EAST GRAND AVE")
