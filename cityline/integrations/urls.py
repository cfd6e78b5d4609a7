from django.urls import path

from cityline.integrations import views

app_name = "integrations"

urlpatterns = [
    path("", views.backlog, name="backlog"),
    path("events/<int:event_id>/replay/", views.replay, name="replay"),
]
