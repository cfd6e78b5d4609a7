from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cityline.demo"
    label = "demo"
