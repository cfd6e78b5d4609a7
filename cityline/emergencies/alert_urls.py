"""The public text alerts pages, mounted at alerts/."""

from django.urls import path

from cityline.emergencies import alert_views

urlpatterns = [
    path("", alert_views.text_alerts, name="text-alerts"),
    path("sent/", alert_views.text_alerts_sent, name="text-alerts-sent"),
]
