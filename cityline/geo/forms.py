"""Form helpers for fields that name a boundary area."""

from django import forms
from django.utils.functional import Promise

from cityline.geo.selectors import boundary_area_outline


def boundary_area_key_clean(key: str, *, unknown: str | Promise) -> int | None:
    """The id of the boundary area a field names by its key, or None where it names none; a key
    no area has is the field's error `unknown`."""
    if not key:
        return None
    area = boundary_area_outline(key=key)
    if area is None:
        raise forms.ValidationError(str(unknown))
    return area.id
