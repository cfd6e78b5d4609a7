"""UUIDs made for a bulk load: random version 4 UUIDs, given in ascending order."""

import uuid

from cityline.core.inserts.values import uuids_hex


def test_uuids_are_random_version_4_and_given_in_ascending_order():
    # when
    made = uuids_hex(500)
    # then
    assert len(set(made)) == 500
    assert made == sorted(made)
    parsed = [uuid.UUID(hex=text) for text in made]
    assert all(u.version == 4 and u.variant == uuid.RFC_4122 for u in parsed)
    assert uuids_hex(500) != made
