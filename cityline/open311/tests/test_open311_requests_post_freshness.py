"""A POST sees the catalog and the API keys as they are now, whichever worker changed them."""

from datetime import date, datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models.signals import post_save

from cityline.accounts.models import ApiKey
from cityline.accounts.selectors import api_key_forget
from cityline.accounts.services import api_key_create, api_key_revoke
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.core.memo import SharedMemo
from cityline.open311.tests.helpers import assert_error
from cityline.servicerequests.models import ServiceRequest
from cityline.sla.models import CalendarClosure, SlaUnit
from cityline.sla.tests.factories import SlaPolicyFactory

pytestmark = pytest.mark.django_db
URL = "/open311/v2/requests.json"
FORM = "application/x-www-form-urlencoded"
CHICAGO = ZoneInfo("America/Chicago")


def _post(client, raw_key, code):
    body = urlencode({"api_key": raw_key, "service_code": code, "lat": "41.85", "long": "-87.65"})
    return client.post(URL, body, content_type=FORM)


@pytest.fixture
def revoked_in_another_process():
    """Revoke a key as another web worker does: this worker's signal receiver never hears of it;
    that worker's copy of the memo announces the change through the shared cache."""
    other_workers_keys = SharedMemo(name="accounts-api-keys", loader=lambda raw_key: None)

    def revoke(api_key):
        post_save.disconnect(sender=ApiKey, dispatch_uid="accounts-api-key-memo")
        try:
            api_key_revoke(api_key=api_key)
            other_workers_keys.forget()
        finally:
            post_save.connect(api_key_forget, sender=ApiKey, dispatch_uid="accounts-api-key-memo")

    return revoke


def test_a_key_revoked_in_another_process_is_refused_at_once(client, revoked_in_another_process):
    # given a key this worker has just accepted, and so remembers
    ServiceTypeFactory(code="graffiti")
    api_key, raw_key = api_key_create(name="FixMyStreet", rate_limit=0)
    assert _post(client, raw_key, "graffiti").status_code == 200
    # when
    revoked_in_another_process(api_key)
    response = _post(client, raw_key, "graffiti")
    # then
    assert_error(response, 403, mentions="api_key")
    assert ServiceRequest.objects.count() == 1


@time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=CHICAGO), tick=False)
def test_a_closure_added_to_the_calendar_moves_the_next_posts_due_date(client):
    # given a one-business-day type this worker has already posted to, on a Monday
    policy = SlaPolicyFactory(amount=1, unit=SlaUnit.BUSINESS_DAYS)
    ServiceTypeFactory(code="graffiti", sla_policy=policy)
    _, raw_key = api_key_create(name="FixMyStreet", rate_limit=0)
    assert _post(client, raw_key, "graffiti").status_code == 200
    # when the city closes on Tuesday
    CalendarClosure.objects.create(calendar=policy.calendar, date=date(2026, 3, 3), name="Storm")
    assert _post(client, raw_key, "graffiti").status_code == 200
    # then
    before, after = ServiceRequest.objects.order_by("pk")
    assert before.expected_at.astimezone(CHICAGO).date() == date(2026, 3, 3)
    assert after.expected_at.astimezone(CHICAGO).date() == date(2026, 3, 4)
