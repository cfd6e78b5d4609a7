from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "cityline.surveys"
    label = "surveys"
    verbose_name = "Satisfaction surveys"

    def ready(self) -> None:
        from cityline.surveys import handlers  # noqa: F401 - registers outbox handlers
