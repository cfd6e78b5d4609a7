from django.db import models

from cityline.core.models import BaseModel

DEFAULT_CITY_NAME = "Cityline 311"
DEFAULT_COLOUR = "#0b4f8a"


class CityIdentity(BaseModel):
    """How the public pages present the city: its name, logo, colour and contact line. One row,
    edited in the admin and written through `city_identity_update`."""

    name = models.CharField(max_length=80, default=DEFAULT_CITY_NAME)
    logo = models.ImageField(
        upload_to="city/",
        blank=True,
        help_text="Shown beside the name in the pages' header: PNG, JPEG or WebP, stored as PNG.",
    )
    colour = models.CharField(
        max_length=7,
        default=DEFAULT_COLOUR,
        help_text="The pages' accent colour, as #rrggbb; white text on it must stay readable.",
    )
    contact_line = models.CharField(
        max_length=200,
        blank=True,
        help_text='Shown on every public page, e.g. "Call 311, or (212) 639-9675 from outside '
        'the city".',
    )

    class Meta:
        verbose_name = "city identity"
        verbose_name_plural = "city identity"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="city_identity_one")]

    def __str__(self) -> str:
        return self.name
