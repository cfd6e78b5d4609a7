import pytest

from cityline.geo.tests.factories import BoundaryAreaFactory, BoundaryLayerFactory, square
from cityline.notifications.models import AreaSubscription, Frequency

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    council = BoundaryLayerFactory.create(slug="council", name="Council Districts")
    return BoundaryAreaFactory.create(
        layer=council,
        code="4",
        name="Council District 4",
        geometry=square(west=-87.7, south=41.8, size=0.1),
    )


def test_the_page_asks_for_a_mobile_number_in_the_readers_language(client):
    # when
    response = client.get("/alerts/", HTTP_ACCEPT_LANGUAGE="es")
    # then
    assert response.status_code == 200
    assert "Su número de móvil" in response.content.decode()


def test_a_resident_asks_for_an_areas_alerts_by_text(client, district):
    # when
    response = client.post(
        "/alerts/", {"phone": "+1 (555) 000-1111", "area": "council:4", "group": ""}
    )
    # then
    assert response.status_code == 302 and response["Location"] == "/alerts/sent/"
    subscription = AreaSubscription.objects.get()
    assert (subscription.phone, subscription.area, subscription.frequency) == (
        "15550001111",
        district,
        Frequency.ALERTS,
    )
    assert client.get("/alerts/sent/").status_code == 200


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"phone": "12", "area": "", "group": ""}, "phone"),
        ({"phone": "", "area": "", "group": ""}, "phone"),
        ({"phone": "15550001111", "area": "council:99", "group": ""}, "area"),
        ({"phone": "15550001111", "area": "", "group": "x"}, "group"),
    ],
)
def test_bad_input_is_refused_naming_the_field(client, district, data, field):
    # when
    response = client.post("/alerts/", data)
    # then
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not AreaSubscription.objects.exists()
