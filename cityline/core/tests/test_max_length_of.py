import pytest

from cityline.catalog.models import Agency, ServiceTypeKeyword
from cityline.core.models import max_length_of


def test_a_text_fields_limit_is_read_from_the_model():
    assert max_length_of(ServiceTypeKeyword, "term") == 100


def test_a_field_without_a_limit_is_refused():
    with pytest.raises(TypeError, match=r"Agency\.id has no max_length"):
        max_length_of(Agency, "id")
