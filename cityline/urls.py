from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("open311/v2/", include("cityline.open311.urls")),
    path("", include("cityline.core.urls")),
]
