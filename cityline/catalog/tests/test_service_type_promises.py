import pytest
from django.utils import translation

from cityline.catalog.selectors import service_type_promises
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.sla.models import SlaUnit
from cityline.sla.tests.factories import SlaPolicyFactory

pytestmark = pytest.mark.django_db


def test_public_types_with_a_policy_have_a_promise_in_words():
    # given
    ServiceTypeFactory(code="tree-removal", sla_policy=SlaPolicyFactory(amount=3))
    ServiceTypeFactory(code="no-policy", sla_policy=None)
    ServiceTypeFactory(code="staff-only", is_public=False)
    ServiceTypeFactory(code="noise", sla_policy=SlaPolicyFactory(amount=8, unit=SlaUnit.HOURS))
    # when
    with translation.override("en"):
        promises = service_type_promises(
            codes=["tree-removal", "no-policy", "staff-only", "noise", "unknown"]
        )
    # then
    assert promises == {"tree-removal": "within 3 days", "noise": "within 8 hours"}
