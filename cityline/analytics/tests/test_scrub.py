"""The scrubbing rule for published free text (docs/open-data.md)."""

import pytest

from cityline.analytics.scrub import Scrubber

SCRUBBER = Scrubber(region="US", staff_names=["Maria Lopez", "Tom Park"])


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        ("write to a.b+c@mail.example.com today", "write to [email] today"),
        ("call (312) 555-0188 or +44 20 7946 0958", "call [phone] or [phone]"),
        ("Mr. Smith and Dra Ruiz saw it", "Mr. [name] and Dra Ruiz saw it"),
        ("Mrs Jane Doe-Smith complained", "Mrs [name] complained"),
        ("my name is Ann Lee, I live here", "my name is [name], I live here"),
        ("I'm Bob. It is broken", "I'm [name]. It is broken"),
        ("me llamo José García", "me llamo [name]"),
        ("my landlord Peter O'Neil ignores it", "my landlord [name] ignores it"),
        ("Still broken.\nThanks, Jim Beam", "Still broken.\nThanks, [name]"),
        ("Still broken - Jim", "Still broken - [name]"),
        ("maria lopez from the city came", "[name] [name] from the city came"),
        ("Maria came; the park is near", "[name] came; the park is near"),
        ("Pothole at 123 Main St, 4 inches deep", "Pothole at 123 Main St, 4 inches deep"),
        ("", ""),
    ],
)
def test_contact_details_and_names_are_replaced(text, scrubbed):
    # when / then
    assert SCRUBBER.scrub(text) == scrubbed


def test_the_requests_own_names_go_whatever_their_case():
    # when
    scrubbed = SCRUBBER.scrub("ask rosalind, ROSALIND knows", names=["Rosalind Franklin"])
    # then
    assert scrubbed == "ask [name], [name] knows"


def test_an_address_keeps_its_street_names_and_loses_contact_details():
    # when
    scrubbed = SCRUBBER.scrub_contact_details("12 Park Ave, call 312-555-0188")
    # then
    assert scrubbed == "12 Park Ave, call [phone]"
