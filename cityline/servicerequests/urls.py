from django.urls import path

from cityline.servicerequests import views

app_name = "servicerequests"

urlpatterns = [
    path("<int:attachment_id>.jpg", views.photo, name="photo"),
    path("<int:attachment_id>/thumbnail.jpg", views.photo_thumbnail, name="photo_thumbnail"),
]
