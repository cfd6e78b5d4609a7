"""GeoReport v2 at /open311/v2/: every resource in .json and .xml."""

from django.urls import re_path

from cityline.open311 import views

app_name = "open311"

FORMAT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(rf"^discovery{FORMAT}", views.discovery, name="discovery"),
    re_path(rf"^services{FORMAT}", views.services, name="services"),
    re_path(
        rf"^services/(?P<service_code>[^/]+){FORMAT}", views.service_definition, name="service"
    ),
    re_path(rf"^requests{FORMAT}", views.requests, name="requests"),
    re_path(
        rf"^requests/(?P<service_request_id>[^/]+){FORMAT}", views.request_detail, name="request"
    ),
    re_path(rf"^tokens/(?P<token_id>[^/]+){FORMAT}", views.token, name="token"),
    re_path(
        rf"^servicerequestupdates{FORMAT}",
        views.service_request_updates,
        name="service_request_updates",
    ),
    # Anything else under the prefix gets an Open311 error document, not an HTML page.
    re_path(r"^(?P<path>.*)$", views.unknown, name="unknown"),
]
