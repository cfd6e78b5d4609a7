"""Each web worker's short-lived copy of the service types clients post requests to.

Fetching a type with its questions, their answer values and its routing rules takes four queries
and about half the time of a POST, and a busy client posts the same few types hundreds of times a
second. So each worker keeps what it fetched for `TTL_SECONDS`, and forgets everything at once
when any catalog row is saved or deleted in that worker (see `apps.py`). A change made elsewhere
(another worker, a bulk update) reaches the API within `TTL_SECONDS`.

Only POST uses it: every GET reads the catalog afresh.
"""

import time

from cityline.catalog.models import ServiceType
from cityline.catalog.selectors import service_type_get_with_questions

TTL_SECONDS = 30.0

_service_types: dict[str, tuple[float, ServiceType]] = {}


def service_type_for_intake(*, code: str) -> ServiceType | None:
    """The public, active type with this code, questions prefetched; None if there is none."""
    now = time.monotonic()
    cached = _service_types.get(code)
    if cached is not None and cached[0] > now:
        return cached[1]
    service_type = service_type_get_with_questions(code=code)
    if service_type is None:
        _service_types.pop(code, None)  # unknown codes are not remembered
    else:
        _service_types[code] = (now + TTL_SECONDS, service_type)
    return service_type


def service_type_cache_clear(**_signal_arguments: object) -> None:
    _service_types.clear()
