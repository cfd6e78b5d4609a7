class DomainError(Exception):
    """A rule of the domain was broken; entry points turn it into a 4xx answer naming the rule."""

    code = "domain_error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidTransition(DomainError):
    """A move the object's workflow does not allow from its current state (a closed request
    closed again, a draft published before review)."""

    code = "invalid_transition"
