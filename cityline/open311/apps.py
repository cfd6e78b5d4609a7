from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class Open311Config(AppConfig):
    name = "cityline.open311"
    label = "open311"

    def ready(self) -> None:
        from cityline.catalog import models as catalog
        from cityline.open311.intake_cache import service_type_cache_clear
        from cityline.sla import models as sla

        # Any change to what intake reads from the catalog empties this worker's copy of it.
        for model in (
            catalog.Agency,
            catalog.ServiceGroup,
            catalog.ServiceType,
            catalog.ServiceAttribute,
            catalog.ServiceAttributeValue,
            catalog.RoutingRule,
            sla.SlaPolicy,
            sla.BusinessCalendar,
        ):
            for signal in (post_save, post_delete):
                signal.connect(
                    service_type_cache_clear,
                    sender=model,
                    dispatch_uid=f"open311-intake-cache-{model._meta.label}",
                )
