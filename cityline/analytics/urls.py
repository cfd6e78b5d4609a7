from django.urls import path

from cityline.analytics import views

app_name = "performance"

urlpatterns = [
    path("", views.public_performance, name="public"),
]
