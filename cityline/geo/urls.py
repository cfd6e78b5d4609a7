from django.urls import path

from cityline.geo import views

app_name = "geo"

urlpatterns = [
    path("base-layer.geojson", views.base_layer_geojson, name="base-layer"),
]
