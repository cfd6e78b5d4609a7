"""Point-in-area matching over every boundary layer, with one STRtree per process.

The tree is rebuilt when an area or a layer is saved or deleted in any process (`core/memo.py`), so
an import in one process is seen by every web worker on its next request.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import shape

from cityline.core.memo import SharedMemo
from cityline.geo.models import BoundaryArea


@dataclass(frozen=True)
class AreaRef:
    id: int
    layer_id: int
    code: str
    is_zipcode: bool


class _AreaIndex:
    def __init__(self, refs: list[AreaRef], geometries: list[shapely.Geometry]) -> None:
        self.refs = refs
        self.tree = shapely.STRtree(geometries) if geometries else None

    @property
    def is_empty(self) -> bool:
        return self.tree is None

    def match(self, points: Sequence[tuple[float, float]]) -> list[list[AreaRef]]:
        """For each (latitude, longitude), the areas containing it, at most one per layer."""
        found: list[list[AreaRef]] = [[] for _ in points]
        if self.tree is None or not points:
            return found
        coords = np.array([(lon, lat) for lat, lon in points], dtype=float)
        geoms = shapely.points(coords)
        point_idx, area_idx = self.tree.query(geoms, predicate="intersects")
        for p, a in zip(point_idx.tolist(), area_idx.tolist(), strict=True):
            ref = self.refs[a]
            if all(seen.layer_id != ref.layer_id for seen in found[p]):
                found[p].append(ref)
        return found


def _area_index_load(_key: None) -> _AreaIndex:
    refs: list[AreaRef] = []
    geometries: list[shapely.Geometry] = []
    rows = BoundaryArea.objects.select_related("layer").only(
        "id", "code", "geometry", "layer__id", "layer__is_zipcode"
    )
    for area in rows.iterator(chunk_size=500):
        refs.append(AreaRef(area.id, area.layer_id, area.code, area.layer.is_zipcode))
        geometries.append(shape(area.geometry))
    return _AreaIndex(refs, geometries)


# Each worker keeps its tree until an area or a layer changes anywhere (the signals are connected
# in `apps`).
_area_indexes: SharedMemo[None, _AreaIndex] = SharedMemo(name="geo-areas", loader=_area_index_load)
area_index_forget = _area_indexes.forget


def area_index() -> _AreaIndex:
    index = _area_indexes.get(None)
    assert index is not None  # the loader always builds one, empty when there are no areas
    return index


def areas_for_points(points: Sequence[tuple[float, float]]) -> list[list[AreaRef]]:
    return area_index().match(points)


def areas_for_point(*, latitude: float, longitude: float) -> list[AreaRef]:
    return areas_for_points([(latitude, longitude)])[0]
