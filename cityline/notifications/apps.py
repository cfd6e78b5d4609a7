from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "cityline.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from cityline.notifications import handlers  # noqa: F401 - registers outbox handlers
