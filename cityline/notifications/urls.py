from django.urls import path

from cityline.notifications import views

app_name = "notifications"

urlpatterns = [
    path("<uuid:token>/confirm/", views.follow_confirm, name="follow_confirm"),
    path("<uuid:token>/stop/", views.follow_stop, name="follow_stop"),
    path(
        "subscriptions/<uuid:token>/confirm/",
        views.subscription_confirm,
        name="subscription_confirm",
    ),
    path("subscriptions/<uuid:token>/stop/", views.subscription_stop, name="subscription_stop"),
]
