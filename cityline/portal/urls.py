from django.urls import path, register_converter

from cityline.portal import views


class TopicConverter:
    """A topic as editors name it, slashes and all; no database column can hold a NUL."""

    regex = r"[^\x00]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TopicConverter, "topic")

app_name = "portal"

urlpatterns = [
    path("", views.search, name="search"),
    path("topics/", views.topic_list, name="topics"),
    path("topics/<topic:topic>/", views.topic_detail, name="topic"),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path("articles/<slug:slug>/feedback/", views.article_feedback, name="feedback"),
]
