from django.urls import path

from cityline.surveys import views

app_name = "surveys"

urlpatterns = [
    path("<str:signed>/", views.answer, name="answer"),
    path("<str:signed>/stop/", views.stop, name="stop"),
]
