from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class AccountsConfig(AppConfig):
    name = "cityline.accounts"
    label = "accounts"
    verbose_name = "Accounts and API keys"

    def ready(self) -> None:
        from cityline.accounts.models import ApiKey
        from cityline.accounts.selectors import api_key_forget

        for signal in (post_save, post_delete):
            signal.connect(api_key_forget, sender=ApiKey, dispatch_uid="accounts-api-key-memo")
