from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.servicerequests.tests.factories import make_request
from cityline.sla.models import SlaPolicy, SlaPolicyVersion, SlaUnit
from cityline.sla.services import (
    SlaDefinitionError,
    sla_policy_upsert,
    sla_policy_version_current,
    sla_targets_freeze,
)

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 4, 1, 14, 0, tzinfo=UTC)


def test_each_change_of_a_policy_makes_a_new_version_and_an_unchanged_load_none():
    # given
    sla_policy_upsert(name="Potholes", amount=3, unit=SlaUnit.CALENDAR_DAYS)
    # when
    sla_policy_upsert(name="Potholes", amount=3, unit=SlaUnit.CALENDAR_DAYS)
    policy = sla_policy_upsert(
        name="Potholes", amount=5, unit=SlaUnit.CALENDAR_DAYS, acknowledge_hours=8
    )
    # then
    versions = list(policy.versions.values_list("number", "amount", "acknowledge_hours"))
    assert versions == [(1, 3, None), (2, 5, 8)]


def test_editing_a_policy_leaves_the_requests_made_under_it_as_they_were():
    # given
    policy = sla_policy_upsert(
        name="Graffiti", amount=2, unit=SlaUnit.CALENDAR_DAYS, acknowledge_hours=4
    )
    with time_machine.travel(T0, tick=False):
        request = make_request(service_type=ServiceTypeFactory(sla_policy=policy))
    # when
    sla_policy_upsert(name="Graffiti", amount=9, unit=SlaUnit.HOURS, acknowledge_hours=1)
    # then
    request.refresh_from_db()
    assert request.sla_policy_version.number == 1
    assert request.acknowledge_due_at == T0 + timedelta(hours=4)
    assert request.expected_at == request.resolve_target_at == T0 + timedelta(days=2)


def test_a_policy_saved_outside_the_services_is_versioned_at_its_next_use():
    # given
    policy = SlaPolicy.objects.create(name="Trees", amount=10, unit=SlaUnit.HOURS)
    # when
    frozen = sla_targets_freeze(policy=policy, start=T0)
    # then
    assert (frozen.version.number, frozen.version.amount) == (1, 10)
    assert frozen.acknowledge_due_at is None
    assert frozen.resolve_due_at == T0 + timedelta(hours=10)


def test_the_current_version_is_reused_while_the_policy_is_unchanged():
    # given
    policy = sla_policy_upsert(name="Lights", amount=1, unit=SlaUnit.CALENDAR_DAYS)
    # when
    again = sla_policy_version_current(policy=policy)
    # then
    assert again == policy.versions.get()
    assert SlaPolicyVersion.objects.count() == 1


def test_an_acknowledgement_target_must_be_positive():
    # when
    with pytest.raises(SlaDefinitionError) as refused:
        sla_policy_upsert(name="X", amount=1, unit=SlaUnit.HOURS, acknowledge_hours=0)
    # then
    assert refused.value.field == "acknowledge_hours"


def test_saving_a_policy_in_the_admin_makes_its_new_version(admin_client):
    # given
    policy = sla_policy_upsert(name="Parks", amount=3, unit=SlaUnit.CALENDAR_DAYS)
    # when
    response = admin_client.post(
        f"/admin/sla/slapolicy/{policy.pk}/change/",
        {
            "name": "Parks",
            "acknowledge_hours": "6",
            "amount": "4",
            "unit": SlaUnit.CALENDAR_DAYS,
            "calendar": "",
            "versions-TOTAL_FORMS": "1",
            "versions-INITIAL_FORMS": "1",
            "versions-MIN_NUM_FORMS": "0",
            "versions-MAX_NUM_FORMS": "1000",
            "versions-0-id": str(policy.versions.get().pk),
            "versions-0-policy": str(policy.pk),
        },
    )
    # then
    assert response.status_code == 302
    latest = policy.versions.order_by("-number").first()
    assert (latest.number, latest.amount, latest.acknowledge_hours) == (2, 4, 6)
