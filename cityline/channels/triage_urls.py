"""The triage pages, mounted in the console under desk/triage/ (names `console:triage…`)."""

from django.urls import path

from cityline.channels import triage_views

urlpatterns = [
    path("", triage_views.triage, name="triage"),
    path("<int:email_id>/", triage_views.triage_message, name="triage_message"),
    path("<int:email_id>/file/", triage_views.triage_file, name="triage_file"),
    path("<int:email_id>/close/", triage_views.triage_close, name="triage_close"),
]
