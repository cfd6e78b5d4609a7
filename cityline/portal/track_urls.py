from django.urls import path

from cityline.portal import track_views

app_name = "track"

urlpatterns = [
    path("", track_views.track_search, name="search"),
    path("<str:tracking_number>/", track_views.track_request, name="request"),
    path("<str:tracking_number>/follow/", track_views.follow, name="follow"),
    path("<str:tracking_number>/follow/sent/", track_views.follow_sent, name="follow-sent"),
    path("<str:tracking_number>/not-fixed/", track_views.not_fixed, name="not-fixed"),
]
