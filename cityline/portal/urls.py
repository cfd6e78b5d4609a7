from django.urls import path

from cityline.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.search, name="search"),
    path("topics/", views.topic_list, name="topics"),
    path("topics/<path:topic>/", views.topic_detail, name="topic"),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path("articles/<slug:slug>/feedback/", views.article_feedback, name="feedback"),
]
