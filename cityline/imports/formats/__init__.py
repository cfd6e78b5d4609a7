"""One module per import format; each registers itself with `cityline.imports.registry`."""
