import pytest
from django.db import IntegrityError, transaction

from cityline.sla.models import SlaPolicy, SlaUnit
from cityline.sla.tests.factories import BusinessCalendarFactory

pytestmark = pytest.mark.django_db


def test_a_business_day_policy_needs_a_calendar():
    # given
    calendar = BusinessCalendarFactory()
    SlaPolicy.objects.create(name="With", amount=2, unit=SlaUnit.BUSINESS_DAYS, calendar=calendar)
    # when / then
    refused = pytest.raises(IntegrityError, match="sla_business_days_need_calendar")
    with refused, transaction.atomic():
        SlaPolicy.objects.create(name="Without", amount=2, unit=SlaUnit.BUSINESS_DAYS)
    assert list(SlaPolicy.objects.values_list("name", flat=True)) == ["With"]


@pytest.mark.parametrize("unit", [SlaUnit.HOURS, SlaUnit.CALENDAR_DAYS])
def test_hours_and_calendar_days_need_no_calendar(unit):
    # when
    policy = SlaPolicy.objects.create(name="No calendar", amount=4, unit=unit)
    # then
    assert policy.calendar is None


def test_a_policy_promises_more_than_nothing():
    # when / then
    with pytest.raises(IntegrityError, match="sla_amount_positive"), transaction.atomic():
        SlaPolicy.objects.create(name="Instant", amount=0, unit=SlaUnit.HOURS)
    assert not SlaPolicy.objects.exists()
