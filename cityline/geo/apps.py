from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "cityline.geo"
    label = "geo"
    verbose_name = "Geography"
