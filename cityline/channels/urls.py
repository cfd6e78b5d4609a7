from django.urls import path

from cityline.channels import views

app_name = "channels"

urlpatterns = [
    path("email/", views.email_inbound, name="email_inbound"),
    path("sms/", views.sms_inbound, name="sms_inbound"),
]
