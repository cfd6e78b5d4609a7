"""The offline base map: the outlines of the city's boundary areas as one small GeoJSON document.

Maps draw it under their pins when the city has no tile server (CITYLINE_MAP_TILES_URL empty), so
a map works on a network that reaches nothing outside the city. Each web worker builds it once and
keeps it until an area or a layer changes anywhere (the signals are connected in `apps`).
"""

import hashlib
import json
from dataclasses import dataclass

import shapely
from shapely.geometry import mapping, shape

from cityline.core.memo import SharedMemo
from cityline.geo.models import BoundaryArea

# About 5 m at the city's latitude: invisible at the zooms a small map shows, and it keeps a
# city's outlines to a few hundred kilobytes.
SIMPLIFY_DEGREES = 0.00005
# Coordinates kept to about a metre.
PRECISION_DEGREES = 0.00001


@dataclass(frozen=True)
class BaseLayer:
    body: bytes
    etag: str


def _outline(geometry: dict) -> dict:
    outline = shape(geometry).boundary.simplify(SIMPLIFY_DEGREES, preserve_topology=False)
    return mapping(shapely.set_precision(outline, PRECISION_DEGREES))


def _base_layer_load(_key: None) -> BaseLayer:
    rows = (
        BoundaryArea.objects.select_related("layer")
        .only("code", "name", "geometry", "layer__slug")
        .order_by("layer__slug", "code")
    )
    features = [
        {
            "type": "Feature",
            "geometry": _outline(area.geometry),
            "properties": {"layer": area.layer.slug, "name": area.name},
        }
        for area in rows.iterator(chunk_size=200)
    ]
    body = json.dumps(
        {"type": "FeatureCollection", "features": features}, separators=(",", ":")
    ).encode()
    return BaseLayer(body=body, etag=hashlib.sha256(body).hexdigest()[:32])


_base_layers: SharedMemo[None, BaseLayer] = SharedMemo(
    name="geo-base-layer", loader=_base_layer_load
)
base_layer_forget = _base_layers.forget


def base_layer() -> BaseLayer:
    layer = _base_layers.get(None)
    assert layer is not None  # the loader always builds one, empty when there are no areas
    return layer
