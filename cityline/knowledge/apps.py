from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "cityline.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge base"
