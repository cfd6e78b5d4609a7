class DomainError(Exception):
    """A rule of the domain was broken; entry points turn it into a 4xx answer naming the rule."""

    code = "domain_error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
