"""`{% map_data latitude longitude %}`: the attributes that make an element a small map (see
static/cityline/map.js), with the base the city's settings choose: its tile server, or its own
boundary layers. Pages that use it include `core/_map_assets.html` in their head."""

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def map_data(latitude: float | None, longitude: float | None) -> SafeString:
    if latitude is None or longitude is None:
        return SafeString("")
    if settings.CITYLINE_MAP_TILES_URL:
        base = format_html(
            'data-tiles-url="{}" data-tiles-attribution="{}"',
            settings.CITYLINE_MAP_TILES_URL,
            settings.CITYLINE_MAP_TILES_ATTRIBUTION,
        )
    else:
        base = format_html('data-base-layer="{}"', reverse("geo:base-layer"))
    # Leaflet guesses its pin's address from its stylesheet, which fails once the static files
    # carry a hash in their names: the page names them.
    return format_html(
        'data-map data-lat="{}" data-lon="{}" {} data-marker-icon="{}" data-marker-icon-2x="{}" '
        'data-marker-shadow="{}"',
        f"{latitude:.6f}",
        f"{longitude:.6f}",
        base,
        static("vendor/leaflet/images/marker-icon.png"),
        static("vendor/leaflet/images/marker-icon-2x.png"),
        static("vendor/leaflet/images/marker-shadow.png"),
    )
