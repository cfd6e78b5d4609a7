import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import shapely
from django.db import transaction
from shapely.geometry import shape
from shapely.validation import explain_validity

from cityline.core.statistics import statistics_refresh
from cityline.geo.cells import h3_cell
from cityline.geo.geocoding import normalize_address
from cityline.geo.models import AddressPoint, BoundaryArea, BoundaryLayer


class BoundaryFileError(ValueError):
    pass


@dataclass(frozen=True)
class BoundaryImportResult:
    layer: BoundaryLayer
    created: int
    updated: int


_POLYGONAL = {"Polygon", "MultiPolygon"}


def boundary_layer_import(
    *,
    slug: str,
    path: Path,
    name: str | None = None,
    code_property: str | None = None,
    name_property: str | None = None,
    is_zipcode: bool = False,
) -> BoundaryImportResult:
    """Load a GeoJSON FeatureCollection as the areas of a layer; re-importing updates in place.

    The area code comes from `code_property` (or the first of a few usual names, or the feature's
    position); the name from `name_property` or the code.
    """
    try:
        document = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise BoundaryFileError(f"{path}: not a readable GeoJSON file ({exc})") from exc
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list) or not features:
        raise BoundaryFileError(f"{path}: expected a FeatureCollection with features")

    parsed: list[tuple[str, str, dict]] = []
    for position, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            raise BoundaryFileError(f"feature {position}: not a GeoJSON Feature")
        geometry = feature.get("geometry") or {}
        if not isinstance(geometry, dict) or geometry.get("type") not in _POLYGONAL:
            raise BoundaryFileError(
                f"feature {position}: geometry must be a Polygon or MultiPolygon"
            )
        try:
            polygon = shape(geometry)
        except (KeyError, TypeError, ValueError, shapely.errors.ShapelyError) as exc:
            raise BoundaryFileError(f"feature {position}: malformed coordinates ({exc})") from exc
        if not polygon.is_valid:
            geometry = _repaired(polygon, position).__geo_interface__
        elif polygon.is_empty:
            raise BoundaryFileError(f"feature {position}: the polygon is empty")
        properties = feature.get("properties") or {}
        code = _pick(properties, code_property, position)
        parsed.append(
            (code, str(properties.get(name_property) or code) if name_property else code, geometry)
        )

    codes = [code for code, _, _ in parsed]
    if len(set(codes)) != len(codes):
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        raise BoundaryFileError(f"area codes repeat: {', '.join(duplicates[:10])}")

    with transaction.atomic():
        layer, _ = BoundaryLayer.objects.update_or_create(
            slug=slug,
            defaults={"name": name or slug.replace("-", " ").title(), "is_zipcode": is_zipcode},
        )
        existing = {area.code: area for area in layer.areas.all()}
        created = updated = 0
        for code, area_name, geometry in parsed:
            area = existing.get(code)
            if area is None:
                BoundaryArea.objects.create(
                    layer=layer, code=code, name=area_name, geometry=geometry
                )
                created += 1
            else:
                area.name, area.geometry = area_name, geometry
                area.save(update_fields=["name", "geometry", "updated_at"])
                updated += 1
    return BoundaryImportResult(layer=layer, created=created, updated=updated)


def _repaired(polygon: shapely.Geometry, position: int) -> shapely.Geometry:
    """Mend self-touching and self-crossing rings, common in city files, keeping every part of
    the area (a zero-width buffer would drop one lobe of a ring that crosses itself)."""
    valid = shapely.make_valid(polygon)
    parts = [
        part
        for part in getattr(valid, "geoms", [valid])
        if part.geom_type in _POLYGONAL and not part.is_empty
    ]
    if not parts:
        raise BoundaryFileError(f"feature {position}: {explain_validity(polygon)}")
    return shapely.unary_union(parts)


_USUAL_CODE_PROPERTIES = (
    "code",
    "id",
    "district",
    "coun_dist",
    "boro_cd",
    "modzcta",
    "zcta",
    "postalcode",
    "name",
)


def _pick(properties: dict, code_property: str | None, position: int) -> str:
    if code_property:
        value = properties.get(code_property)
        if value in (None, ""):
            raise BoundaryFileError(f"feature {position}: property {code_property!r} is missing")
        return _code_text(value)
    lowered = {key.lower(): value for key, value in properties.items()}
    for key in _USUAL_CODE_PROPERTIES:
        if lowered.get(key) not in (None, ""):
            return _code_text(lowered[key])
    return str(position)


def _code_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass(frozen=True)
class AddressRecord:
    address: str
    latitude: float
    longitude: float
    zipcode: str = ""


def address_points_load(*, records: Iterable[AddressRecord], batch_size: int = 2000) -> int:
    """Add address points in batches; an address already known keeps its first position."""
    known = set(AddressPoint.objects.values_list("normalized", flat=True))
    batch: list[AddressPoint] = []
    added = 0
    for record in records:
        normalized = normalize_address(record.address)
        if not normalized or normalized in known:
            continue
        known.add(normalized)
        batch.append(
            AddressPoint(
                address=record.address,
                normalized=normalized,
                latitude=record.latitude,
                longitude=record.longitude,
                zipcode=record.zipcode,
                h3_cell=h3_cell(latitude=record.latitude, longitude=record.longitude),
            )
        )
        if len(batch) >= batch_size:
            AddressPoint.objects.bulk_create(batch)
            added += len(batch)
            batch = []
    AddressPoint.objects.bulk_create(batch)
    added += len(batch)
    if added:
        # Reverse geocoding reads the points by cell on every request filed with a position;
        # planned for the table as it was before the load, it read them all.
        statistics_refresh([AddressPoint])
    return added
