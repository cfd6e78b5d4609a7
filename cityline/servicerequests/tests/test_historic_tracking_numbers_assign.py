import pytest

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.servicerequests.services.sources import historic_tracking_numbers_assign
from cityline.servicerequests.tests.factories import historic_request, load_historic, make_request

pytestmark = pytest.mark.django_db


def _alternative(source_id: str, attempt: int) -> str:
    return f"ALT-{source_id}-{attempt}"


def test_a_request_already_loaded_keeps_its_number():
    # given
    service_type = ServiceTypeFactory()
    load_historic([historic_request(service_type=service_type, source_id="1", tracking_number="A")])
    row = historic_request(service_type=service_type, source_id="1", tracking_number="B")
    # when
    historic_tracking_numbers_assign(rows=[row], number_for=_alternative)
    # then
    assert row.tracking_number == "A"


def test_a_new_request_keeps_the_number_it_brings_when_it_is_free():
    # given
    row = historic_request(service_type=ServiceTypeFactory(), source_id="1", tracking_number="B")
    # when
    historic_tracking_numbers_assign(rows=[row], number_for=_alternative)
    # then
    assert row.tracking_number == "B"


def test_a_number_held_by_another_request_is_drawn_again_until_one_is_free():
    # given
    service_type = ServiceTypeFactory()
    native = make_request(service_type=service_type)
    load_historic(
        [historic_request(service_type=service_type, source_id="9", tracking_number="ALT-1-1")]
    )
    row = historic_request(
        service_type=service_type, source_id="1", tracking_number=native.tracking_number
    )
    # when
    historic_tracking_numbers_assign(rows=[row], number_for=_alternative)
    # then
    assert row.tracking_number == "ALT-1-2"


def test_two_new_rows_bringing_one_number_get_two():
    # given
    service_type = ServiceTypeFactory()
    first = historic_request(service_type=service_type, source_id="1", tracking_number="SAME")
    second = historic_request(service_type=service_type, source_id="2", tracking_number="SAME")
    # when
    historic_tracking_numbers_assign(rows=[first, second], number_for=_alternative)
    # then
    assert (first.tracking_number, second.tracking_number) == ("SAME", "ALT-2-1")


def test_rows_of_several_sources_are_refused():
    # given
    service_type = ServiceTypeFactory()
    rows = [
        historic_request(service_type=service_type, source="a", source_id="1"),
        historic_request(service_type=service_type, source="b", source_id="1"),
    ]
    # when / then
    with pytest.raises(ValueError, match="one source"):
        historic_tracking_numbers_assign(rows=rows, number_for=_alternative)
