import pytest

from cityline.sla.models import SlaPolicy, SlaUnit
from cityline.sla.services import SlaDefinitionError, sla_policy_upsert
from cityline.sla.tests.factories import BusinessCalendarFactory

pytestmark = pytest.mark.django_db


def test_a_policy_is_found_by_its_name_and_updated_in_place():
    # given
    first = sla_policy_upsert(name="Dead animal", amount=5, unit=SlaUnit.CALENDAR_DAYS)
    calendar = BusinessCalendarFactory()
    # when
    second = sla_policy_upsert(
        name="Dead animal", amount=3, unit=SlaUnit.BUSINESS_DAYS, calendar=calendar
    )
    # then
    assert second.pk == first.pk and SlaPolicy.objects.count() == 1
    second.refresh_from_db()
    assert (second.amount, second.unit, second.calendar) == (3, "business_days", calendar)


@pytest.mark.parametrize(
    ("amount", "unit", "field"),
    [
        (3, SlaUnit.BUSINESS_DAYS, "calendar"),
        (0, SlaUnit.HOURS, "amount"),
        (3, "fortnights", "unit"),
    ],
)
def test_a_target_that_cannot_be_computed_is_refused(amount, unit, field):
    # when
    with pytest.raises(SlaDefinitionError) as error:
        sla_policy_upsert(name="Broken", amount=amount, unit=unit)
    # then
    assert error.value.field == field
    assert not SlaPolicy.objects.exists()
