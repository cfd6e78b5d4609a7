from django.urls import path

from cityline.portal import neighborhood_views

app_name = "neighborhood"

urlpatterns = [
    path("neighborhood/", neighborhood_views.neighborhood, name="page"),
    path("neighborhood/subscribe/", neighborhood_views.subscribe, name="subscribe"),
    path("neighborhood/subscribe/sent/", neighborhood_views.subscribe_sent, name="subscribe-sent"),
    path("map/", neighborhood_views.city_map, name="map"),
    path("map/data.geojson", neighborhood_views.map_data, name="map-data"),
]
