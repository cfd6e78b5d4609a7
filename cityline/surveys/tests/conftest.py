import pytest


@pytest.fixture(autouse=True)
def _sms_folder(settings, tmp_path):
    """Texts go into a folder of the test's own."""
    settings.CITYLINE_SMS_FOLDER = tmp_path / "sms"


# The portal's browser contexts: the survey page is a public page like theirs.
from cityline.portal.tests.conftest import browser_context_factory  # noqa: E402, F401
