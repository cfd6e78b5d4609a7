import pytest

from cityline.catalog.models import RequestVisibility, ServiceType
from cityline.catalog.selectors import service_type_ids_with_hidden_requests
from cityline.catalog.tests.factories import ServiceTypeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("is_public", "visibility", "hidden"),
    [
        (True, RequestVisibility.AS_INTAKE, False),
        (False, RequestVisibility.AS_INTAKE, True),
        (False, RequestVisibility.PUBLIC, False),
        (True, RequestVisibility.HIDDEN, True),
        (False, RequestVisibility.HIDDEN, True),
    ],
)
def test_staff_only_types_hide_their_requests_unless_set_public(is_public, visibility, hidden):
    # given
    service_type = ServiceTypeFactory(is_public=is_public, request_visibility=visibility)
    # when
    ids = set(service_type_ids_with_hidden_requests())
    # then
    assert (service_type.pk in ids) is hidden


def test_a_new_type_follows_its_intake():
    # when
    service_type = ServiceType(code="board-up", name="Board-up")
    # then
    assert service_type.request_visibility == RequestVisibility.AS_INTAKE


def test_a_type_hidden_later_is_hidden_at_once():
    # given a worker that already knows which types are hidden
    service_type = ServiceTypeFactory(is_public=True, request_visibility=RequestVisibility.PUBLIC)
    assert service_type.pk not in service_type_ids_with_hidden_requests()
    # when
    service_type.request_visibility = RequestVisibility.HIDDEN
    service_type.save()
    # then
    assert service_type.pk in service_type_ids_with_hidden_requests()
