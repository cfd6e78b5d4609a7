from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save


class EmergenciesConfig(AppConfig):
    name = "cityline.emergencies"
    label = "emergencies"
    verbose_name = "Emergencies and broadcasts"

    def ready(self) -> None:
        from cityline.catalog.translation import city_text_mirror
        from cityline.emergencies import handlers  # noqa: F401 - registers the outbox handler
        from cityline.emergencies.models import Broadcast, Emergency
        from cityline.emergencies.selectors import emergency_ongoing_forget

        pre_save.connect(city_text_mirror, sender=Emergency, dispatch_uid="emergency-text")
        pre_save.connect(city_text_mirror, sender=Broadcast, dispatch_uid="broadcast-text")
        # Every web worker drops its copy of the ongoing emergency on its next request, whoever
        # changed it (a service, the admin).
        post_save.connect(emergency_ongoing_forget, sender=Emergency, weak=False)
        post_delete.connect(emergency_ongoing_forget, sender=Emergency, weak=False)
        m2m_changed.connect(
            emergency_ongoing_forget, sender=Emergency.pinned_articles.through, weak=False
        )
