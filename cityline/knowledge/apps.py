from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save


class KnowledgeConfig(AppConfig):
    name = "cityline.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge base"

    def ready(self) -> None:
        from cityline.catalog.models import ServiceType, ServiceTypeKeyword
        from cityline.catalog.translation import city_text_mirror
        from cityline.knowledge.indexing import search_index_service_type_on_commit
        from cityline.knowledge.models import TopicTitle

        pre_save.connect(city_text_mirror, sender=TopicTitle, dispatch_uid="knowledge-topic-text")

        # Search follows the catalog: a deleted type takes its search document with it.
        post_save.connect(
            search_index_service_type_on_commit,
            sender=ServiceType,
            dispatch_uid="knowledge-search-service-type",
        )
        for signal in (post_save, post_delete):
            signal.connect(
                search_index_service_type_on_commit,
                sender=ServiceTypeKeyword,
                dispatch_uid="knowledge-search-keyword",
            )
