from django.contrib import admin
from django.urls import include, path

from cityline.api.main import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("open311/v2/", include("cityline.open311.urls")),
    path("api/", api.urls),
    path("", include("cityline.core.urls")),
]
