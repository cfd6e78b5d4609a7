"""A form field that names a boundary area by its `<layer>:<code>` key cleans to the area's id."""

import pytest
from django import forms

from cityline.geo.forms import boundary_area_key_clean
from cityline.geo.tests.factories import BoundaryAreaFactory, BoundaryLayerFactory

pytestmark = pytest.mark.django_db


def test_a_key_cleans_to_its_areas_id():
    # given
    area = BoundaryAreaFactory(layer=BoundaryLayerFactory(slug="council"), code="4")
    # when
    cleaned = boundary_area_key_clean("council:4", unknown="Choose an area.")
    # then
    assert cleaned == area.id


def test_no_key_cleans_to_none():
    assert boundary_area_key_clean("", unknown="Choose an area.") is None


def test_a_key_no_area_has_is_the_fields_own_error():
    # given
    BoundaryAreaFactory(layer=BoundaryLayerFactory(slug="council"), code="4")
    # when
    with pytest.raises(forms.ValidationError) as raised:
        boundary_area_key_clean("council:5", unknown="Choose an area.")
    # then
    assert raised.value.messages == ["Choose an area."]
