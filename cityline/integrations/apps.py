from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "cityline.integrations"
    label = "integrations"
    verbose_name = "Agency integrations"

    def ready(self) -> None:
        from cityline.integrations import handlers  # noqa: F401 - registers outbox handlers
