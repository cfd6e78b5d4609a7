from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count
from shapely.geometry import shape

from cityline.geo.areas import AreaRef, area_index, areas_for_point
from cityline.geo.cells import h3_cell
from cityline.geo.geocoding import GeocodedAddress, geocoder, normalize_address
from cityline.geo.models import AddressPoint, BoundaryArea, BoundaryLayer


@dataclass(frozen=True)
class ResolvedLocation:
    latitude: float | None
    longitude: float | None
    address: str
    zipcode: str
    h3_cell: str
    areas: list[AreaRef] = field(default_factory=list)


def location_resolve(
    *, latitude: float | None, longitude: float | None, address: str = ""
) -> ResolvedLocation:
    """Complete a location: coordinates for an address, an address for coordinates, and the
    areas, zipcode and H3 cell of the point."""
    zipcode = ""
    if latitude is None or longitude is None:
        found = geocoder().geocode(address) if address else None
        if found is None:
            return ResolvedLocation(None, None, address, "", "")
        latitude, longitude, zipcode = found.latitude, found.longitude, found.zipcode
    elif not address:
        found = geocoder().reverse(latitude=latitude, longitude=longitude)
        if found is not None:
            address, zipcode = found.address, found.zipcode
    areas = areas_for_point(latitude=latitude, longitude=longitude)
    zipcode = next((a.code for a in areas if a.is_zipcode), zipcode)
    return ResolvedLocation(
        latitude=latitude,
        longitude=longitude,
        address=address,
        zipcode=zipcode,
        h3_cell=h3_cell(latitude=latitude, longitude=longitude),
        areas=areas,
    )


def city_contains_point(*, latitude: float, longitude: float) -> bool:
    """Whether a point lies in the city: inside (or on the edge of) some area of its boundary
    layers. A city with no boundary layers has drawn no edge, so every point is in it."""
    index = area_index()
    return index.is_empty or bool(index.match([(latitude, longitude)])[0])


@dataclass(frozen=True)
class LayerCount:
    name: str
    areas: int
    is_zipcode: bool


def boundary_layer_counts(*, layer_ids: Iterable[int]) -> list[LayerCount]:
    """Each of these layers with its number of areas."""
    layers = BoundaryLayer.objects.filter(pk__in=list(layer_ids)).annotate(
        area_count=Count("areas")
    )
    return [LayerCount(layer.name, layer.area_count, layer.is_zipcode) for layer in layers]


def address_point_count() -> int:
    return AddressPoint.objects.count()


def boundary_area_get(*, layer_slug: str, code: str) -> BoundaryArea | None:
    return BoundaryArea.objects.filter(layer__slug=layer_slug, code=code).first()


def address_suggest(*, text: str, limit: int = 8) -> list[GeocodedAddress]:
    """Addresses a resident may mean as they type: the city's geocoder's own match first (a city
    may plug in its own), then the address points whose normalised address starts with the
    text, in order."""
    wanted = normalize_address(text)
    if len(wanted) < 2:
        return []
    found = geocoder().geocode(text)
    suggestions = [found] if found is not None else []
    # A range rather than LIKE: both databases read it from the index of normalised addresses
    # (normalised text is capitals, digits and spaces, all below DEL).
    points = AddressPoint.objects.filter(
        normalized__gte=wanted, normalized__lt=wanted + "\x7f"
    ).order_by("normalized")
    for point in points[:limit]:
        candidate = GeocodedAddress(
            address=point.address,
            latitude=point.latitude,
            longitude=point.longitude,
            zipcode=point.zipcode,
        )
        if candidate.address not in {s.address for s in suggestions}:
            suggestions.append(candidate)
    return suggestions[:limit]


def boundary_area_geometries(*, layer_slug: str, codes: Iterable[str]) -> dict[str, dict]:
    """The GeoJSON geometries of a layer's areas, by code."""
    areas = BoundaryArea.objects.filter(layer__slug=layer_slug, code__in=list(codes))
    return dict(areas.values_list("code", "geometry"))


@dataclass(frozen=True)
class AreaChoice:
    """An area as a resident picks it: `key` is `<layer slug>:<area code>`."""

    key: str
    layer_name: str
    name: str


def boundary_area_choices() -> list[AreaChoice]:
    """Every area of every layer, layer by layer."""
    rows = BoundaryArea.objects.order_by("layer__name", "layer__slug", "code").values_list(
        "layer__slug", "layer__name", "code", "name"
    )
    return [AreaChoice(f"{slug}:{code}", layer, name) for slug, layer, code, name in rows]


@dataclass(frozen=True)
class AreaOutline:
    id: int
    layer_name: str
    name: str
    # (west, south, east, north) in degrees
    bounds: tuple[float, float, float, float]
    geometry: dict


def boundary_area_outline(*, key: str) -> AreaOutline | None:
    """The area a `<layer slug>:<area code>` key names, with its outline and bounds."""
    slug, _, code = key.partition(":")
    area = BoundaryArea.objects.select_related("layer").filter(layer__slug=slug, code=code).first()
    if area is None:
        return None
    west, south, east, north = shape(area.geometry).bounds
    return AreaOutline(
        area.id, area.layer.name, area.name, (west, south, east, north), area.geometry
    )
