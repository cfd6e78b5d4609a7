import pytest


@pytest.fixture(autouse=True)
def _channels_settings(settings, tmp_path):
    """Each test signs with known secrets and sends its texts into a folder of its own."""
    settings.CITYLINE_EMAIL_WEBHOOK_SECRET = "email-secret"
    settings.CITYLINE_SMS_WEBHOOK_SECRET = "sms-secret"
    settings.CITYLINE_SMS_FOLDER = tmp_path / "sms"
