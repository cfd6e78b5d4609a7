"""Open311 failures: each becomes the spec's error document with its HTTP status."""

from http import HTTPStatus


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
