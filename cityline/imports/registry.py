"""The formats `cityline import` knows: one module per format in `cityline.imports.formats`.

A format is a class with a `name` (its sub-command), a one-line `help`, `add_arguments(parser)`
and `handle(*, options, out, err)`. Decorate it with `@register` in a new module of
`cityline/imports/formats/` and `cityline import <name>` exists; nothing else needs to change.
"""

import argparse
import importlib
import pkgutil
from typing import ClassVar, TextIO


class ImportFormat:
    name: ClassVar[str]
    help: ClassVar[str]

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Declare the sub-command's own arguments."""

    def handle(self, *, options: dict, out: TextIO, err: TextIO) -> None:
        """Run the import. Raise `django.core.management.CommandError` for a bad file or option."""
        raise NotImplementedError


_formats: dict[str, type[ImportFormat]] = {}


def register(cls: type[ImportFormat]) -> type[ImportFormat]:
    if cls.name in _formats and _formats[cls.name] is not cls:
        raise ValueError(f"two import formats are named {cls.name!r}")
    _formats[cls.name] = cls
    return cls


def import_formats() -> dict[str, type[ImportFormat]]:
    """Every registered format by name, after loading each module of the formats package."""
    from cityline.imports import formats

    for module in pkgutil.iter_modules(formats.__path__):
        importlib.import_module(f"{formats.__name__}.{module.name}")
    return dict(sorted(_formats.items()))
