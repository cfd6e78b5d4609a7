from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "cityline.catalog"
    label = "catalog"
    verbose_name = "Service catalog"
