from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "cityline.contacts"
    label = "contacts"
    verbose_name = "Contacts"
