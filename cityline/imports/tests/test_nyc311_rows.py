"""The NYC 311 row parser's pure parts: resolutions, zipcodes, column and type names."""

import pytest

from cityline.imports.catalog import service_type_code, service_type_name
from cityline.imports.cityrows import column_key
from cityline.imports.formats.nyc311 import RESOLUTION_WORDING, _zipcode, resolution_for
from cityline.servicerequests.models import Resolution


@pytest.mark.parametrize(
    ("description", "resolution"),
    [
        (
            "The Police Department responded to the complaint and took action to fix the "
            "condition.",
            Resolution.COMPLETED,
        ),
        (
            "The Police Department responded to the complaint and with the information available "
            "observed no evidence of the violation at that time.",
            Resolution.NO_ACTION_NEEDED,
        ),
        (
            "The Department of Buildings investigated this complaint and determined that no "
            "further action was necessary.",
            Resolution.NO_ACTION_NEEDED,
        ),
        (
            "The Department of Buildings attempted to investigate this complaint but could not "
            "locate the premises.",
            Resolution.UNABLE_TO_LOCATE,
        ),
        (
            "The Police Department visited the location and no Encampment was found.",
            Resolution.UNABLE_TO_LOCATE,
        ),
        (
            "The Department of Buildings reviewed this complaint and referred it to the New York "
            "City Housing Authority for further action.",
            Resolution.REFERRED,
        ),
        (
            "This complaint does not fall under the Police Department's jurisdiction.",
            Resolution.REFERRED,
        ),
        ("This service request was closed because it is a duplicate.", Resolution.DUPLICATE),
        ("The service request was cancelled by the customer.", Resolution.CANCELLED),
        ("", Resolution.COMPLETED),
    ],
)
def test_a_closed_request_gets_its_resolution_from_the_wording(description, resolution):
    assert resolution_for(description) == resolution


def test_every_wording_rule_names_a_resolution():
    assert {code for code, _ in RESOLUTION_WORDING} <= set(Resolution.values)


@pytest.mark.parametrize(
    ("text", "zipcode"),
    [
        ("10027", "10027"),
        ("10032.0", "10032"),
        ("10027-1234", "10027-1234"),
        (" 11201 ", "11201"),
        ("N/A", ""),
        ("", ""),
        ("1002", ""),
    ],
)
def test_zipcodes_are_cleaned(text, zipcode):
    assert _zipcode(text) == zipcode


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Unique Key", "unique_key"),
        ("unique_key", "unique_key"),
        ("X Coordinate (State Plane)", "x_coordinate_state_plane"),
        ("x_coordinate_state_plane", "x_coordinate_state_plane"),
    ],
)
def test_column_names_of_every_layout_match(name, key):
    assert column_key(name) == key


@pytest.mark.parametrize(
    ("name", "code", "display"),
    [
        ("Noise - Street/Sidewalk", "noise-street-sidewalk", "Noise - Street/Sidewalk"),
        ("elevator", "elevator", "Elevator"),
        ("HEATING", "heating", "HEATING"),
        ("  Blocked   Driveway ", "blocked-driveway", "Blocked Driveway"),
    ],
)
def test_service_type_codes_and_names(name, code, display):
    assert service_type_code(name) == code
    assert service_type_name(name.strip()) == display
