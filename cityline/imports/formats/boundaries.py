"""`cityline import boundaries LAYER PATH`: a GeoJSON layer of areas (districts, boroughs, zips)."""

import argparse
from pathlib import Path
from typing import TextIO

from django.core.exceptions import ValidationError
from django.core.management import CommandError
from django.core.validators import validate_slug

from cityline.core.models import max_length_of
from cityline.geo.areas import area_index
from cityline.geo.models import BoundaryLayer
from cityline.geo.services import BoundaryFileError, boundary_layer_import
from cityline.imports.registry import ImportFormat, register

_SLUG_MAX = max_length_of(BoundaryLayer, "slug")
_NAME_MAX = max_length_of(BoundaryLayer, "name")


@register
class BoundariesFormat(ImportFormat):
    name = "boundaries"
    help = "a GeoJSON FeatureCollection of polygons as a boundary layer"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("layer", help="the layer's slug, e.g. community-districts")
        parser.add_argument("path", type=Path, help="a GeoJSON FeatureCollection, WGS 84")
        parser.add_argument("--name", help="the layer's display name (default: from the slug)")
        parser.add_argument(
            "--code-property", metavar="P", help="feature property holding each area's code"
        )
        parser.add_argument(
            "--name-property", metavar="P", help="feature property holding each area's name"
        )
        parser.add_argument(
            "--zipcode",
            action="store_true",
            help="the codes are postal codes: they become the zipcode of requests inside",
        )

    def handle(self, *, options: dict, out: TextIO, err: TextIO) -> None:
        slug = options["layer"]
        try:
            validate_slug(slug)
        except ValidationError:
            raise CommandError(
                f"{slug!r} is not a layer slug: use letters, digits, - and _"
            ) from None
        if len(slug) > _SLUG_MAX:
            raise CommandError(f"the layer slug is longer than {_SLUG_MAX} characters")
        if options.get("name") and len(options["name"]) > _NAME_MAX:
            raise CommandError(f"the layer name is longer than {_NAME_MAX} characters")
        path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            result = boundary_layer_import(
                slug=slug,
                path=path,
                name=options.get("name"),
                code_property=options.get("code_property"),
                name_property=options.get("name_property"),
                is_zipcode=bool(options.get("zipcode")),
            )
        except BoundaryFileError as exc:
            message = str(exc)
            if not message.startswith(str(path)):
                message = f"{path}: {message}"
            raise CommandError(message) from exc
        area_index()  # build the point index now, so the next import starts matching at once
        out.write(
            f"Layer {result.layer.slug} ({result.layer.name}): "
            f"{result.created} areas created, {result.updated} updated.\n"
        )
