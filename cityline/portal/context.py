from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from cityline.portal.selectors import city_identity_get


def city_identity(request: HttpRequest) -> dict[str, Any]:
    """The city's name, colour, logo and contact line, for every page's header and footer. The
    theme's and logo's addresses carry the identity's version, so browsers keep them until it
    changes."""
    identity = city_identity_get()
    version = f"?v={identity.version}"
    return {
        "city": identity,
        "city_theme_url": reverse("portal:city-theme") + version,
        "city_logo_url": reverse("portal:city-logo") + version if identity.has_logo else "",
    }
