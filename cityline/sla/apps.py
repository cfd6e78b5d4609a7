from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "cityline.sla"
    label = "sla"
    verbose_name = "Service level agreements"

    def ready(self) -> None:
        from cityline.sla import handlers  # noqa: F401 - registers outbox handlers
