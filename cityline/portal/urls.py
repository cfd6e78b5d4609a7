from django.urls import include, path, register_converter

from cityline.portal import home_views, report_views, views


class TopicConverter:
    """A topic as editors name it, slashes and all; no database column can hold a NUL."""

    regex = r"[^\x00]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TopicConverter, "topic")

app_name = "portal"

help_patterns = [
    path("", views.search, name="search"),
    path("topics/", views.topic_list, name="topics"),
    path("topics/<topic:topic>/", views.topic_detail, name="topic"),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path("articles/<slug:slug>/feedback/", views.article_feedback, name="feedback"),
]

report_patterns = [
    path("", report_views.report, name="report"),
    path("nearby/", report_views.nearby, name="report-nearby"),
    path("addresses/", report_views.addresses, name="report-addresses"),
    path("photo-place/", report_views.photo_place, name="report-photo-place"),
    path("sent/<str:tracking_number>/", report_views.report_sent, name="report-sent"),
]

urlpatterns = [
    path("help/", include(help_patterns)),
    path("report/", include(report_patterns)),
    path("city/theme.css", home_views.city_theme, name="city-theme"),
    path("city/logo.png", home_views.city_logo, name="city-logo"),
]
