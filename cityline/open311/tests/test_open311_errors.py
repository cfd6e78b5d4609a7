import pytest

from cityline.core.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from cityline.open311.errors import from_domain_error


@pytest.mark.parametrize(
    ("error", "status", "description"),
    [
        (NotFound("no such request"), 404, "no such request"),
        (Forbidden("not yours", field="api_key"), 403, "api_key: not yours"),
        (Conflict("already closed", field="status"), 409, "status: already closed"),
        (InvalidInput("too early", field="occurred_at"), 400, "updated_datetime: too early"),
        (DomainError("a broken rule", field="latitude"), 400, "lat: a broken rule"),
    ],
)
def test_a_services_refusal_becomes_the_status_of_its_kind_naming_the_parameter(
    error, status, description
):
    # when
    translated = from_domain_error(error)
    # then
    assert (translated.status, translated.message) == (status, description)
