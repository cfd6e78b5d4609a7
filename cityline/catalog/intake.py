"""Checking a resident's answers to a service type's intake questions.

`answers_clean` returns normalised answers or raises `AnswerError` naming the question. The intake
service (`servicerequests.services.intake`) runs it on every request it creates; an entry point may
run it first to answer a form's errors in its own words.
"""

import math
from collections.abc import Mapping, Sequence
from datetime import datetime

from cityline.catalog.models import AttributeDatatype, ServiceAttribute, ServiceType

Answer = str | list[str]

STRING_MAX = 255
TEXT_MAX = 4000


class AnswerError(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"attribute[{code}]: {message}")
        self.code = code
        self.message = message


def answers_clean(
    *, service_type: ServiceType, submitted: Mapping[str, Sequence[str]]
) -> dict[str, Answer]:
    """Validate submitted answers (each a list of raw strings) against the type's questions.

    Answers to questions the type does not ask are dropped; informational notices take none.
    """
    cleaned: dict[str, Answer] = {}
    for attribute in _questions(service_type):
        values = [v.strip() for v in _raw_values(submitted, attribute.code) if v and v.strip()]
        if not values:
            if attribute.required:
                raise AnswerError(attribute.code, "is required")
            continue
        cleaned[attribute.code] = _clean_one(attribute, values)
    return cleaned


def _raw_values(submitted: Mapping[str, Sequence[str]], code: str) -> Sequence[str | None]:
    """Every value given for a question; a bare string is one value, not a list of characters."""
    raw = submitted.get(code, [])
    return [raw] if isinstance(raw, str) else raw


def _questions(service_type: ServiceType) -> list[ServiceAttribute]:
    cached = getattr(service_type, "_prefetched_objects_cache", {}).get("attributes")
    if cached is not None:
        return [a for a in cached if a.variable]
    return list(service_type.attributes.filter(variable=True).prefetch_related("values"))


def _clean_one(attribute: ServiceAttribute, values: list[str]) -> Answer:
    code, datatype = attribute.code, attribute.datatype
    if datatype == AttributeDatatype.MULTIVALUELIST:
        allowed = {value.key for value in attribute.values.all()}
        unknown = [v for v in values if v not in allowed]
        if unknown:
            raise AnswerError(code, f"{unknown[0]!r} is not one of {sorted(allowed)}")
        return list(dict.fromkeys(values))
    if len(values) > 1:
        raise AnswerError(code, "takes a single value")
    value = values[0]
    if datatype == AttributeDatatype.SINGLEVALUELIST:
        allowed = {v.key for v in attribute.values.all()}
        if value not in allowed:
            raise AnswerError(code, f"{value!r} is not one of {sorted(allowed)}")
        return value
    if datatype == AttributeDatatype.NUMBER:
        try:
            number = float(value)
        except ValueError:
            raise AnswerError(code, f"{value!r} is not a number") from None
        if not math.isfinite(number):
            raise AnswerError(code, f"{value!r} is not a finite number")
        return value
    if datatype == AttributeDatatype.DATETIME:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise AnswerError(code, f"{value!r} is not an ISO 8601 date and time") from None
        return moment.isoformat()
    limit = TEXT_MAX if datatype == AttributeDatatype.TEXT else STRING_MAX
    if len(value) > limit:
        raise AnswerError(code, f"is longer than {limit} characters")
    return value
