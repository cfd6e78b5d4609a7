from django.urls import path

from cityline.core import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
