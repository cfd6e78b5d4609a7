from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class AccountsConfig(AppConfig):
    name = "cityline.accounts"
    label = "accounts"
    verbose_name = "Accounts and API keys"

    def ready(self) -> None:
        from django.conf import settings

        from cityline.accounts.models import ApiKey
        from cityline.accounts.twofactor import check_second_factor_roles

        check_second_factor_roles(settings.CITYLINE_REQUIRE_2FA_ROLES)
        from cityline.accounts.selectors import api_key_cache_clear

        post_save.connect(api_key_cache_clear, sender=ApiKey, dispatch_uid="api-key-cache-save")
        post_delete.connect(api_key_cache_clear, sender=ApiKey, dispatch_uid="api-key-cache-del")
