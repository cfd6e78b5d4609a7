from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "cityline.analytics"
    label = "analytics"
    verbose_name = "Analytics"

    def ready(self) -> None:
        from cityline.analytics import handlers  # noqa: F401 - registers outbox handlers
