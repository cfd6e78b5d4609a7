"""The public performance page: per agency and district, this month beside the same month a year
before, without staff-only types or anything about a person."""

import pytest
import time_machine

from cityline.analytics.services import analytics_refresh
from cityline.analytics.tests.conftest import AS_OF, LAYER, file_at
from cityline.catalog.models import ServiceType
from cityline.catalog.tests.factories import ServiceTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_city(city, settings):
    settings.CITYLINE_DISTRICT_LAYER = LAYER
    staff_only = ServiceTypeFactory.create(code="sweep", agency=city.lights.agency, is_public=False)
    file_at(AS_OF, staff_only)
    with time_machine.travel(AS_OF, tick=False):
        analytics_refresh(full=True)
    return city


def test_each_agency_shows_the_month_beside_the_same_month_a_year_before(client, public_city):
    # when
    with time_machine.travel(AS_OF, tick=False):
        response = client.get("/performance/")
    # then
    assert response.status_code == 200
    agencies = {row.key: row for row in response.context["agencies"]}
    assert agencies["STR"].now.requests == 6
    # A year before: the pothole of 3 March 2025 (closed in a day) and the tree of 2 March 2025.
    assert agencies["STR"].before.requests == 2
    assert agencies["STR"].before_days == pytest.approx(1.0)
    # The staff-only sweep is left out: the light alone counts for DOT.
    assert agencies["DOT"].now.requests == 1
    districts = {row.key: row.now.requests for row in response.context["districts"]}
    assert districts == {"1": 5, "2": 2}


def test_the_page_shows_no_tracking_number_or_staff_only_type(client, public_city):
    # when
    response = client.get("/performance/", {"month": "2026-03"})
    # then
    page = response.content.decode()
    assert all(r.tracking_number not in page for r in public_city.requests.values())
    assert ServiceType.objects.get(code="sweep").name not in page


@pytest.mark.parametrize("month", ["2026-13", "March", "2026-3"])
def test_a_bad_month_is_refused_naming_the_field(client, public_city, month):
    # when
    response = client.get("/performance/", {"month": month})
    # then
    assert response.status_code == 400
    assert 'aria-describedby="month-error"' in response.content.decode()
    assert response.context["error"] == "month"
