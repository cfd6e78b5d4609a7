from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "cityline.analytics"
    label = "analytics"
    verbose_name = "Analytics"
