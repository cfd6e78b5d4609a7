from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "cityline.imports"
    label = "imports"
