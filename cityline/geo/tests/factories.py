import factory

from cityline.geo.cells import h3_cell
from cityline.geo.geocoding import normalize_address
from cityline.geo.models import AddressPoint, BoundaryArea, BoundaryLayer


def square(*, west: float, south: float, size: float) -> dict:
    """A GeoJSON polygon `size` degrees on a side with its south-west corner at (west, south)."""
    east, north = west + size, south + size
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


class BoundaryLayerFactory(factory.django.DjangoModelFactory[BoundaryLayer]):
    class Meta:
        model = BoundaryLayer
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"layer-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())


class BoundaryAreaFactory(factory.django.DjangoModelFactory[BoundaryArea]):
    class Meta:
        model = BoundaryArea

    layer = factory.SubFactory(BoundaryLayerFactory)
    code = factory.Sequence(lambda n: str(n + 1))
    name = factory.LazyAttribute(lambda o: f"District {o.code}")
    geometry = factory.LazyFunction(lambda: square(west=-87.7, south=41.8, size=0.1))


class AddressPointFactory(factory.django.DjangoModelFactory[AddressPoint]):
    class Meta:
        model = AddressPoint

    address = factory.Sequence(lambda n: f"{n + 1} Main St")
    normalized = factory.LazyAttribute(lambda o: normalize_address(o.address))
    latitude = 41.85
    longitude = -87.65
    zipcode = "60601"
    h3_cell = factory.LazyAttribute(lambda o: h3_cell(latitude=o.latitude, longitude=o.longitude))
