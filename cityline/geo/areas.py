"""Point-in-area matching over every boundary layer, with one STRtree per process.

The tree is rebuilt when the areas change (their count or latest update differs), so an import in
one process is seen by every web worker on its next request.
"""

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from django.db.models import Count, Max
from shapely.geometry import shape

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


# How long a worker trusts its index before asking whether the areas changed: one cheap
# aggregate query every few seconds rather than on every request.
RECHECK_SECONDS = 5.0

_lock = threading.Lock()
_cache: dict[str, object] = {"version": None, "index": None, "checked_at": float("-inf")}


def _areas_version() -> tuple[int, object]:
    stats = BoundaryArea.objects.aggregate(n=Count("id"), latest=Max("updated_at"))
    return stats["n"], stats["latest"]


def area_index() -> _AreaIndex:
    now = time.monotonic()
    with _lock:
        if _cache["index"] is not None and now - _cache["checked_at"] < RECHECK_SECONDS:  # type: ignore[operator]
            return _cache["index"]  # type: ignore[return-value]
    version = _areas_version()
    with _lock:
        _cache["checked_at"] = now
        if _cache["version"] != version or _cache["index"] is None:
            refs: list[AreaRef] = []
            geometries: list[shapely.Geometry] = []
            rows = BoundaryArea.objects.select_related("layer").only(
                "id", "code", "geometry", "layer__id", "layer__is_zipcode"
            )
            for area in rows.iterator(chunk_size=500):
                refs.append(AreaRef(area.id, area.layer_id, area.code, area.layer.is_zipcode))
                geometries.append(shape(area.geometry))
            _cache["index"] = _AreaIndex(refs, geometries)
            _cache["version"] = version
        return _cache["index"]  # type: ignore[return-value]


def areas_for_points(points: Sequence[tuple[float, float]]) -> list[list[AreaRef]]:
    return area_index().match(points)


def areas_for_point(*, latitude: float, longitude: float) -> list[AreaRef]:
    return areas_for_points([(latitude, longitude)])[0]


def area_index_forget() -> None:
    """Make the next lookup re-read the areas (after an import in this process, and in tests)."""
    with _lock:
        _cache["checked_at"] = float("-inf")
