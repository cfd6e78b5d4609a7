import pytest


@pytest.fixture(autouse=True)
def _texts_folder(settings, tmp_path):
    """Each test's texts go into a folder of its own."""
    settings.CITYLINE_SMS_FOLDER = tmp_path / "sms"
