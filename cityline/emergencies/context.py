from django.http import HttpRequest
from django.utils.translation import get_language

from cityline.emergencies.selectors import emergency_banner as banner_get


def emergency_banner(request: HttpRequest) -> dict[str, object]:
    """A context processor: the ongoing emergency's banner in the page's language, for every
    page's header (core/base.html). Read from the worker's memo: no query of its own."""
    return {"emergency_banner": banner_get(language=get_language() or "")}
