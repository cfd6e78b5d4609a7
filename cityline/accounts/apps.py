from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class AccountsConfig(AppConfig):
    name = "cityline.accounts"
    label = "accounts"
    verbose_name = "Accounts and API keys"

    def ready(self) -> None:
        from django.conf import settings

        from cityline.accounts.models import ApiKey
        from cityline.accounts.selectors import api_key_forget
        from cityline.accounts.twofactor import check_second_factor_roles

        check_second_factor_roles(settings.CITYLINE_REQUIRE_2FA_ROLES)

        for signal in (post_save, post_delete):
            signal.connect(api_key_forget, sender=ApiKey, dispatch_uid="accounts-api-key-memo")
