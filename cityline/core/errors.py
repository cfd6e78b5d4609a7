"""The errors services raise: the domain's words, never HTTP's.

Entry points turn them into answers: Open311 into its `<errors>` document, the native API into its
error body. `field` names the input at fault in the service's terms, when there is one.
"""


class DomainError(Exception):
    """A rule of the domain was broken; entry points turn it into a 4xx answer naming the rule."""

    code = "domain_error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    """A value the service was given is outside what the domain accepts."""

    code = "invalid_input"


class NotFound(DomainError):
    """What the caller named does not exist, or is not theirs to know about."""

    code = "not_found"


class Forbidden(DomainError):
    """The caller may not do this."""

    code = "forbidden"


class Conflict(DomainError):
    """The change clashes with the object's current state."""

    code = "conflict"


class InvalidTransition(Conflict):
    """A move the object's workflow does not allow from its current state (a closed request
    closed again, a draft published before review)."""
