"""The geography a public map draws: anyone may read it, as the areas are the city's own public
layers."""

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import etag, require_GET

from cityline.geo.baselayer import base_layer

# Browsers and proxies may keep it a while and then ask again with its ETag (a 304 costs a read of
# the shared cache and no query).
BASE_LAYER_MAX_AGE = 3600


@require_GET
@etag(lambda request: base_layer().etag)
def base_layer_geojson(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(base_layer().body, content_type="application/geo+json")
    patch_cache_control(response, public=True, max_age=BASE_LAYER_MAX_AGE)
    return response
