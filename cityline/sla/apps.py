from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "cityline.sla"
    label = "sla"
    verbose_name = "Service level agreements"
