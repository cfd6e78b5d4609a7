from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cityline.api"
    label = "api"
    verbose_name = "Native JSON API"
