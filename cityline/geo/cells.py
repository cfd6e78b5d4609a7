import h3
from django.conf import settings

# Latitude and longitude are valid WGS 84 degrees.
LATITUDE_RANGE = (-90.0, 90.0)
LONGITUDE_RANGE = (-180.0, 180.0)


def h3_cell(*, latitude: float, longitude: float, resolution: int | None = None) -> str:
    return h3.latlng_to_cell(latitude, longitude, resolution or settings.CITYLINE_H3_RESOLUTION)


def h3_neighbourhood(*, cell: str, rings: int = 1) -> list[str]:
    return list(h3.grid_disk(cell, rings))
