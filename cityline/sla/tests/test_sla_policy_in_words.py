import pytest
from django.utils import translation

from cityline.sla.models import SlaUnit
from cityline.sla.selectors import sla_policy_in_words
from cityline.sla.tests.factories import SlaPolicyFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("amount", "unit", "words"),
    [
        (1, SlaUnit.HOURS, "within 1 hour"),
        (48, SlaUnit.HOURS, "within 48 hours"),
        (1, SlaUnit.CALENDAR_DAYS, "within 1 day"),
        (3, SlaUnit.CALENDAR_DAYS, "within 3 days"),
        (5, SlaUnit.BUSINESS_DAYS, "within 5 business days"),
    ],
)
def test_the_promise_reads_as_words(amount, unit, words):
    # given
    policy = SlaPolicyFactory(amount=amount, unit=unit)
    # when / then
    with translation.override("en"):
        assert sla_policy_in_words(policy=policy) == words


def test_the_promise_is_translated_into_the_readers_language():
    # given
    policy = SlaPolicyFactory(amount=5, unit=SlaUnit.BUSINESS_DAYS)
    # when / then
    with translation.override("es"):
        assert sla_policy_in_words(policy=policy) == "en 5 días hábiles"
