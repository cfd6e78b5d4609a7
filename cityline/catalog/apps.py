from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save


class CatalogConfig(AppConfig):
    name = "cityline.catalog"
    label = "catalog"
    verbose_name = "Service catalog"

    def ready(self) -> None:
        from cityline.catalog import models as catalog
        from cityline.catalog.matching import catalog_words_forget
        from cityline.catalog.selectors import (
            service_type_for_intake_forget,
            service_type_ids_with_hidden_requests_forget,
        )
        from cityline.catalog.translation import city_text_mirror
        from cityline.sla import models as sla

        for translated in (
            catalog.Agency,
            catalog.ServiceGroup,
            catalog.ServiceType,
            catalog.ServiceAttribute,
            catalog.ServiceAttributeValue,
        ):
            pre_save.connect(
                city_text_mirror,
                sender=translated,
                dispatch_uid=f"catalog-city-text-{translated._meta.label}",
            )

        # Every row `service_type_get_with_questions` reads: a change to any of them, in any
        # worker, makes every worker fetch intake's types afresh.
        for model in (
            catalog.Agency,
            catalog.ServiceGroup,
            catalog.ServiceType,
            catalog.ServiceAttribute,
            catalog.ServiceAttributeValue,
            catalog.RoutingRule,
            sla.SlaPolicy,
            sla.BusinessCalendar,
            sla.CalendarClosure,
        ):
            for signal in (post_save, post_delete):
                signal.connect(
                    service_type_for_intake_forget,
                    sender=model,
                    dispatch_uid=f"catalog-intake-memo-{model._meta.label}",
                )
        # The catalog's words suggestions match: every worker reads them afresh after a change.
        for words in (catalog.ServiceType, catalog.ServiceTypeKeyword, catalog.ServiceGroup):
            for signal in (post_save, post_delete):
                signal.connect(
                    catalog_words_forget,
                    sender=words,
                    dispatch_uid=f"catalog-words-memo-{words._meta.label}",
                )
        for signal in (post_save, post_delete):
            signal.connect(
                service_type_ids_with_hidden_requests_forget,
                sender=catalog.ServiceType,
                dispatch_uid="catalog-hidden-request-types-memo",
            )
