from django.contrib import admin
from django.urls import include, path

from cityline.api.main import api
from cityline.portal.home_views import home
from cityline.portal.track_views import short_link

urlpatterns = [
    path("admin/", admin.site.urls),
    path("open311/v2/", include("cityline.open311.urls")),
    path("api/", api.urls),
    path("geo/", include("cityline.geo.urls")),
    path("track/", include("cityline.portal.track_urls")),
    path("performance/", include("cityline.analytics.urls")),
    path("open-data/", include("cityline.analytics.opendata_urls")),
    path("r/<str:tracking_number>", short_link, name="short-link"),
    path("", include("cityline.portal.neighborhood_urls")),
    path("photos/", include("cityline.servicerequests.urls")),
    path("follow/", include("cityline.notifications.urls")),
    path("alerts/", include("cityline.emergencies.alert_urls")),
    path("channels/", include("cityline.channels.urls")),
    path("survey/", include("cityline.surveys.urls")),
    path("console/integrations/", include("cityline.integrations.urls")),
    path("console/", include("cityline.console.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", home, name="home"),
    path("", include("cityline.portal.urls")),
    path("", include("cityline.core.urls")),
]
