"""The broadcast pages, mounted in the console under broadcasts/ (names `console:broadcast…`)."""

from django.urls import path

from cityline.emergencies import broadcast_views

urlpatterns = [
    path("", broadcast_views.broadcasts, name="broadcasts"),
    path("new/", broadcast_views.broadcast_new, name="broadcast_new"),
]
