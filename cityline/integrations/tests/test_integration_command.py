import pytest
from django.core.management import CommandError, call_command

from cityline.catalog.tests.factories import AgencyFactory
from cityline.integrations.models import AgencyIntegration, AgencyKey
from cityline.integrations.selectors import agency_key_get_active

pytestmark = pytest.mark.django_db


def test_key_create_prints_the_key_once_and_stores_only_its_hash(capsys):
    # given
    agency = AgencyFactory(code="DOT")
    # when
    call_command("integration", "key", "create", "DOT")
    # then
    raw_key = capsys.readouterr().out.strip().splitlines()[-1]
    key = AgencyKey.objects.get()
    assert agency_key_get_active(raw_key=raw_key).agency == agency
    assert raw_key not in (key.key_hash, key.key_prefix)


def test_key_create_for_an_unknown_agency_is_refused():
    # when / then
    with pytest.raises(CommandError, match="NOPE"):
        call_command("integration", "key", "create", "NOPE")
    assert not AgencyKey.objects.exists()


def test_connect_keeps_the_secret_when_run_again():
    # given
    AgencyFactory(code="DOT")
    call_command("integration", "connect", "DOT", "http://127.0.0.1:1/a")
    secret = AgencyIntegration.objects.get().signing_secret
    # when
    call_command("integration", "connect", "DOT", "http://127.0.0.1:1/b")
    # then
    integration = AgencyIntegration.objects.get()
    assert integration.endpoint_url == "http://127.0.0.1:1/b"
    assert integration.signing_secret == secret and len(secret) >= 32
