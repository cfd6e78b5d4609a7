import pytest

from cityline.catalog.models import OpenDataText, ServiceType
from cityline.catalog.selectors import OpenDataRule, service_type_open_data_rules
from cityline.catalog.services import CatalogDefinitionError, service_type_open_data_set
from cityline.catalog.tests.factories import ServiceTypeFactory

pytestmark = pytest.mark.django_db


def test_a_type_is_published_scrubbed_and_exact_until_set_otherwise():
    # given
    service_type, untouched = ServiceTypeFactory.create(), ServiceTypeFactory.create()
    # when
    service_type_open_data_set(
        service_type_id=service_type.pk, text=OpenDataText.LEFT_OUT, location_sensitive=True
    )
    # then
    rules = service_type_open_data_rules()
    assert rules[service_type.pk] == OpenDataRule(text_published=False, location_sensitive=True)
    assert rules[untouched.pk] == OpenDataRule(text_published=True, location_sensitive=False)


def test_an_unknown_text_rule_is_refused_and_nothing_changes():
    # given
    service_type = ServiceTypeFactory.create()
    # when / then
    with pytest.raises(CatalogDefinitionError, match="open-data text"):
        service_type_open_data_set(
            service_type_id=service_type.pk, text="verbatim", location_sensitive=True
        )
    stored = ServiceType.objects.get(pk=service_type.pk)
    assert (stored.open_data_text, stored.location_sensitive) == (OpenDataText.SCRUBBED, False)


def test_staff_only_types_have_no_rule():
    # given
    staff_only = ServiceTypeFactory.create(is_public=False)
    # when / then
    assert staff_only.pk not in service_type_open_data_rules()
