from django.db import models

from cityline.core.models import BaseModel


class BoundaryLayer(BaseModel):
    """A set of areas that covers the city: council districts, community boards, zip codes…"""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    is_zipcode = models.BooleanField(
        default=False, help_text="Its area codes are postal codes, used as a request's zipcode."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BoundaryArea(BaseModel):
    layer = models.ForeignKey(BoundaryLayer, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(max_length=50)
    name = models.CharField(max_length=200)
    geometry = models.JSONField(help_text="GeoJSON Polygon or MultiPolygon, WGS 84.")

    class Meta:
        ordering = ["layer", "code"]
        constraints = [
            models.UniqueConstraint(fields=["layer", "code"], name="area_code_unique_in_layer"),
        ]

    def __str__(self) -> str:
        return f"{self.layer.name} {self.name}"


class AddressPoint(BaseModel):
    """A known address and where it is: the local gazetteer for geocoding and its reverse."""

    address = models.CharField(max_length=255)
    normalized = models.CharField(max_length=255, db_index=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    zipcode = models.CharField(max_length=10, blank=True)
    h3_cell = models.CharField(max_length=16, db_index=True)

    class Meta:
        ordering = ["normalized"]

    def __str__(self) -> str:
        return self.address
