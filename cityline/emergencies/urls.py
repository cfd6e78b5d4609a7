"""The emergency pages, mounted in the console under emergencies/ (names `console:emergenc…`)."""

from django.urls import path

from cityline.emergencies import views

urlpatterns = [
    path("", views.emergencies, name="emergencies"),
    path("on/", views.emergency_switch_on, name="emergency_switch_on"),
    path("<int:emergency_id>/", views.emergency_detail, name="emergency"),
    path("<int:emergency_id>/off/", views.emergency_switch_off, name="emergency_switch_off"),
]
