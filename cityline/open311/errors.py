"""Open311 failures: each becomes the spec's error document with its HTTP status."""

from http import HTTPStatus

from cityline.core.errors import Conflict, DomainError, Forbidden, NotFound


class Open311Error(Exception):
    """A request Open311 refuses. The message names the parameter at fault, when there is one."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def bad_request(message: str) -> Open311Error:
    return Open311Error(HTTPStatus.BAD_REQUEST, message)


def forbidden(message: str) -> Open311Error:
    return Open311Error(HTTPStatus.FORBIDDEN, message)


def not_found(message: str) -> Open311Error:
    return Open311Error(HTTPStatus.NOT_FOUND, message)


def too_many_requests(message: str) -> Open311Error:
    return Open311Error(HTTPStatus.TOO_MANY_REQUESTS, message)


# The Open311 parameter behind a field a service names, where the two names differ.
_PARAMETERS = {
    "occurred_at": "updated_datetime",
    "latitude": "lat",
    "longitude": "long",
    "tracking_number": "service_request_id",
}
_STATUSES: tuple[tuple[type[DomainError], HTTPStatus], ...] = (
    (NotFound, HTTPStatus.NOT_FOUND),
    (Forbidden, HTTPStatus.FORBIDDEN),
    (Conflict, HTTPStatus.CONFLICT),
)


def from_domain_error(error: DomainError) -> Open311Error:
    """A service's refusal as Open311 says it: the status its kind calls for (400 for a broken
    rule), the message prefixed with the parameter at fault."""
    status = next(
        (status for kind, status in _STATUSES if isinstance(error, kind)), HTTPStatus.BAD_REQUEST
    )
    if error.field is None:
        return Open311Error(status, error.message)
    return Open311Error(status, f"{_PARAMETERS.get(error.field, error.field)}: {error.message}")
