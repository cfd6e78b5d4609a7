from django.urls import path

from cityline.notifications import views

app_name = "notifications"

urlpatterns = [
    path("<uuid:token>/confirm/", views.follow_confirm, name="follow_confirm"),
    path("<uuid:token>/stop/", views.follow_stop, name="follow_stop"),
]
