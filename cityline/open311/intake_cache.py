"""Each web worker's short-lived copy of the service types clients post requests to.

Fetching a type with its questions, their answer values and its routing rules takes four queries
and about half the time of a POST, and a busy client posts the same few types hundreds of times a
second. So each worker keeps what it fetched for `TTL_SECONDS`, and forgets everything at once
when any catalog row is saved or deleted in that worker (see `apps.py`). A change made elsewhere
(another worker, a bulk update) reaches the API within `TTL_SECONDS`.

Only POST uses it: every GET reads the catalog afresh.
"""

from cityline.catalog.models import ServiceType
from cityline.catalog.selectors import service_type_get_with_questions
from cityline.core.memo import RecentAnswers

TTL_SECONDS = 30.0

_service_types: RecentAnswers[str, ServiceType] = RecentAnswers(
    seconds=TTL_SECONDS, loader=lambda code: service_type_get_with_questions(code=code)
)


def service_type_for_intake(*, code: str) -> ServiceType | None:
    """The public, active type with this code, questions prefetched; None if there is none."""
    return _service_types.get(code)


service_type_cache_clear = _service_types.clear
