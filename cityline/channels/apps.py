from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "cityline.channels"
    label = "channels"
    verbose_name = "E-mail and SMS intake"

    def ready(self) -> None:
        from cityline.channels import handlers  # noqa: F401 - registers outbox handlers
