from django.urls import path

from cityline.analytics import opendata_views

app_name = "open_data"

urlpatterns = [
    path("", opendata_views.open_data, name="page"),
    path("<str:name>", opendata_views.open_data_download, name="file"),
]
