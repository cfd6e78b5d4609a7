from django.apps import AppConfig


class ServiceRequestsConfig(AppConfig):
    name = "cityline.servicerequests"
    label = "servicerequests"
    verbose_name = "Service requests"
