from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from cityline.catalog.models import ServiceType
from cityline.catalog.tests.factories import ServiceGroupFactory, ServiceTypeFactory
from cityline.geo.models import BoundaryArea
from cityline.geo.tests.factories import (
    AddressPointFactory,
    BoundaryAreaFactory,
    BoundaryLayerFactory,
    square,
)
from cityline.notifications.models import AreaSubscription
from cityline.servicerequests.models import Channel, Resolution, ServiceRequest
from cityline.servicerequests.services.intake import RequesterDetails
from cityline.servicerequests.services.lifecycle import service_request_close
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
# District 1 spans longitudes -87.70 to -87.60, district 2 -87.50 to -87.40.
IN_ONE = {"latitude": 41.85, "longitude": -87.65}
IN_TWO = {"latitude": 41.85, "longitude": -87.45}


@dataclass
class City:
    district_1: BoundaryArea
    district_2: BoundaryArea
    pothole: ServiceType
    streetlight: ServiceType
    litter: ServiceType
    boarding: ServiceType


@pytest.fixture
def city() -> City:
    council = BoundaryLayerFactory.create(slug="council", name="Council District")
    streets = ServiceGroupFactory.create(name="Streets")
    sanitation = ServiceGroupFactory.create(name="Sanitation")
    return City(
        district_1=BoundaryAreaFactory.create(
            layer=council, code="1", name="1", geometry=square(west=-87.7, south=41.8, size=0.1)
        ),
        district_2=BoundaryAreaFactory.create(
            layer=council, code="2", name="2", geometry=square(west=-87.5, south=41.8, size=0.1)
        ),
        pothole=ServiceTypeFactory.create(code="pothole", name="Pothole", group=streets),
        streetlight=ServiceTypeFactory.create(
            code="streetlight", name="Street light out", group=streets
        ),
        litter=ServiceTypeFactory.create(code="litter", name="Litter", group=sanitation),
        # Staff-only work whose requests the public never sees.
        boarding=ServiceTypeFactory.create(code="boarding", name="Board up", is_public=False),
    )


def _page(client, **query):
    return client.get("/neighborhood/", query)


def _numbers(response) -> set[str]:
    html = response.content.decode()
    return {
        n for n in ServiceRequest.objects.values_list("tracking_number", flat=True) if n in html
    }


def _data(client, **query):
    query.setdefault("bbox", "-87.8,41.7,-87.3,42.0")
    query.setdefault("zoom", "12")
    return client.get("/map/data.geojson", query)


@time_machine.travel(NOW, tick=False)
def test_a_district_lists_its_requests_each_linking_to_its_tracking_page(client, city):
    # given
    inside = make_request(service_type=city.pothole, **IN_ONE)
    outside = make_request(service_type=city.pothole, **IN_TWO)
    # when
    response = _page(client, area="council:1")
    # then
    assert response.status_code == 200
    assert _numbers(response) == {inside.tracking_number}
    assert f'href="/track/{inside.tracking_number}/"' in response.content.decode()
    assert outside.tracking_number not in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_whole_city_is_listed_without_a_place(client, city):
    # given
    one = make_request(service_type=city.pothole, **IN_ONE)
    two = make_request(service_type=city.litter, **IN_TWO)
    # when
    response = _page(client)
    # then
    assert _numbers(response) == {one.tracking_number, two.tracking_number}


@time_machine.travel(NOW, tick=False)
def test_requests_of_hidden_types_are_never_listed_nor_mapped(client, city):
    # given
    hidden = make_request(service_type=city.boarding, **IN_ONE)
    shown = make_request(service_type=city.pothole, **IN_ONE)
    # when
    page = _page(client, area="council:1")
    points = _data(client, zoom="16", bbox="-87.7,41.8,-87.6,41.9").json()
    clusters = _data(client).json()
    # then
    assert _numbers(page) == {shown.tracking_number}
    assert [f["properties"]["number"] for f in points["features"]] == [shown.tracking_number]
    assert sum(f["properties"]["count"] for f in clusters["features"]) == 1
    assert hidden.tracking_number not in str(points)


@time_machine.travel(NOW, tick=False)
def test_the_filters_narrow_by_type_group_and_state(client, city):
    # given
    pothole = make_request(service_type=city.pothole, **IN_ONE)
    light = make_request(service_type=city.streetlight, **IN_ONE)
    litter = make_request(service_type=city.litter, **IN_ONE)
    service_request_close(
        request=litter, resolution=Resolution.COMPLETED, by=None, via=Channel.STAFF
    )
    # when
    by_type = _page(client, area="council:1", service="pothole")
    by_group = _page(client, area="council:1", group=str(city.pothole.group_id))
    open_ones = _page(client, area="council:1", state="open")
    closed_ones = _page(client, area="council:1", state="closed")
    # then
    assert _numbers(by_type) == {pothole.tracking_number}
    assert _numbers(by_group) == {pothole.tracking_number, light.tracking_number}
    assert _numbers(open_ones) == {pothole.tracking_number, light.tracking_number}
    assert _numbers(closed_ones) == {litter.tracking_number}


def test_the_page_opens_on_the_last_thirty_days_and_any_period_can_be_asked(client, city):
    # given
    with time_machine.travel(NOW - timedelta(days=45), tick=False):
        old = make_request(service_type=city.pothole, **IN_ONE)
    with time_machine.travel(NOW, tick=False):
        recent = make_request(service_type=city.pothole, **IN_ONE)
        # when
        default = _page(client, area="council:1")
        older = _page(client, area="council:1", start="2026-09-01", end="2026-10-31")
    # then
    assert _numbers(default) == {recent.tracking_number}
    assert _numbers(older) == {old.tracking_number}


@time_machine.travel(NOW, tick=False)
def test_near_an_address_lists_the_requests_around_it(client, city):
    # given
    AddressPointFactory.create(address="120 Main St", latitude=41.85, longitude=-87.65)
    near = make_request(service_type=city.pothole, latitude=41.851, longitude=-87.651)
    far = make_request(service_type=city.pothole, latitude=41.88, longitude=-87.62)
    # when
    response = _page(client, address="120 main street")
    # then
    assert response.status_code == 200
    assert _numbers(response) == {near.tracking_number}
    assert far.tracking_number not in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_pages_of_25_go_from_newest_to_oldest(client, city):
    # given
    made = []
    for minutes in range(26):
        with time_machine.travel(NOW - timedelta(minutes=60 - minutes), tick=False):
            made.append(make_request(service_type=city.pothole, **IN_ONE))
    # when
    first = _page(client, area="council:1")
    second = _page(client, area="council:1", page="2")
    # then
    assert _numbers(first) == {r.tracking_number for r in made[1:]}
    assert "Older requests" in first.content.decode()
    assert _numbers(second) == {made[0].tracking_number}
    assert "Newer requests" in second.content.decode()
    assert "Older requests" not in second.content.decode()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"address": "1 Nowhere Lane"}, "address"),
        ({"address": "120 Main St", "area": "council:1"}, "area"),
        ({"area": "council:99"}, "area"),
        ({"service": "no-such-service"}, "service"),
        ({"group": "banana"}, "group"),
        ({"state": "lost"}, "state"),
        ({"start": "yesterday"}, "start"),
        ({"start": "2026-11-10", "end": "2026-11-01"}, "end"),
        ({"page": "0"}, "page"),
        ({"page": "many"}, "page"),
        ({"address": "x" * 201}, "address"),
    ],
)
def test_bad_choices_get_the_form_back_naming_the_field(client, city, query, field):
    # when
    response = _page(client, **query)
    # then
    assert response.status_code == 400
    assert f'href="#id_{field}"' in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_map_counts_requests_per_cell_far_out_and_shows_each_close_up(client, city):
    # given
    first = make_request(service_type=city.pothole, **IN_ONE)
    second = make_request(service_type=city.pothole, **IN_ONE)
    make_request(service_type=city.litter, **IN_TWO)
    # when
    far = _data(client, zoom="11").json()
    close = _data(client, zoom="17", bbox="-87.66,41.84,-87.64,41.86").json()
    # then
    assert far["kind"] == "clusters"
    assert sorted(f["properties"]["count"] for f in far["features"]) == [1, 2]
    assert close["kind"] == "points"
    assert [f["properties"]["url"] for f in close["features"]] == [
        f"/track/{second.tracking_number}/",
        f"/track/{first.tracking_number}/",
    ]
    point = close["features"][0]
    assert point["geometry"]["coordinates"] == [-87.65, 41.85]


@time_machine.travel(NOW, tick=False)
def test_the_map_follows_the_filters(client, city):
    # given
    make_request(service_type=city.pothole, **IN_ONE)
    make_request(service_type=city.litter, **IN_ONE)
    # when
    potholes = _data(client, service="pothole").json()
    # then
    assert sum(f["properties"]["count"] for f in potholes["features"]) == 1


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "west,south,east,north"}, "bbox"),
        ({"bbox": "-87.3,41.7,-87.8,42.0"}, "bbox"),
        ({"bbox": "-87.8,41.7,-87.3,95"}, "bbox"),
        ({"bbox": "nan,41.7,-87.3,42.0"}, "bbox"),
        ({"zoom": "31"}, "zoom"),
        ({"zoom": "near"}, "zoom"),
        ({"start": "2026-01-01", "end": "2026-11-01"}, "start"),
        ({"service": "no-such-service"}, "service"),
    ],
)
def test_the_map_data_refuses_bad_input_naming_the_field(client, city, query, field):
    # when
    response = _data(client, **query)
    # then
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


def test_the_map_data_needs_a_box_and_a_zoom(client, city):
    # when
    response = client.get("/map/data.geojson")
    # then
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"bbox", "zoom"}


@time_machine.travel(NOW, tick=False)
def test_no_personal_data_is_in_the_pages_or_the_map_data(client, city):
    # given
    make_request(
        service_type=city.pothole,
        requester=RequesterDetails(
            first_name="Wilhelmina",
            last_name="Quartermaine",
            email="wilhelmina@example.org",
            phone="555-0199-4242",
        ),
        description="Big hole; the caller is Wilhelmina",
        **IN_ONE,
    )
    # when
    bodies = [
        _page(client, area="council:1").content.decode(),
        client.get("/map/").content.decode(),
        _data(client).content.decode(),
        _data(client, zoom="17", bbox="-87.66,41.84,-87.64,41.86").content.decode(),
    ]
    # then
    for body in bodies:
        for personal in ("Wilhelmina", "Quartermaine", "wilhelmina@example.org", "555-0199-4242"):
            assert personal not in body


@time_machine.travel(NOW, tick=False)
def test_the_map_page_puts_the_map_first_and_says_so(client, city):
    # when
    response = client.get("/map/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "Map of requests" in html
    assert html.index('id="map-heading"') < html.index("neighborhood-filters")


@time_machine.travel(NOW, tick=False)
def test_a_period_too_long_for_the_map_keeps_the_table_and_says_why(client, city):
    # given
    request = make_request(service_type=city.pothole, **IN_ONE)
    # when
    response = _page(client, start="2026-01-01", end="2026-11-30")
    # then
    html = response.content.decode()
    assert "data-neighborhood-map" not in html
    assert "The map shows at most 92 days" in html
    assert request.tracking_number in html


def test_only_get_is_answered(client, city):
    # when
    answers = [client.post(url) for url in ("/neighborhood/", "/map/", "/map/data.geojson")]
    subscribe = client.get("/neighborhood/subscribe/")
    # then
    assert [a.status_code for a in answers] == [405, 405, 405]
    assert subscribe.status_code == 405


ENGLISH_ON_THE_PAGES = [
    "Requests in your neighborhood",
    "Map of requests",
    "Near an address",
    "Or in a district",
    "The whole city",
    "Service group",
    "All services",
    "Open and closed",
    "What and when",
    "Show requests",
    "newest first",
    "Older requests",
    "Report a problem",
    "requests here",
    "Zoom in",
    "The table below lists",
    "Received",
    "Get e-mails about new requests",
    "How often",
    "A weekly digest",
    ">Subscribe<",
]


@pytest.mark.parametrize("language", ["es", "ar"])
@time_machine.travel(NOW, tick=False)
def test_the_neighborhood_pages_hold_no_english_of_ours(client, city, language):
    # given
    for _ in range(26):
        make_request(service_type=city.pothole, **IN_ONE)
    # when
    pages = [
        client.get(url, headers={"accept-language": language})
        for url in ("/neighborhood/?area=council:1", "/map/", "/neighborhood/?page=2")
    ]
    refused = client.get(
        "/neighborhood/?address=1+Nowhere+Lane", headers={"accept-language": language}
    )
    # then
    for page in [*pages, refused]:
        html = page.content.decode()
        assert f'lang="{language}"' in html
        assert [english for english in ENGLISH_ON_THE_PAGES if english in html] == []
    assert "could not find this address" not in refused.content.decode()


@time_machine.travel(NOW, tick=False)
def test_subscribing_from_the_page_keeps_its_district_topic_and_language(client, city):
    # given
    page = _page(client, area="council:1", group=str(city.pothole.group_id))
    assert 'name="area" value="council:1"' in page.content.decode()
    # when
    response = client.post(
        "/neighborhood/subscribe/",
        {
            "email": "lola@example.org",
            "frequency": "weekly",
            "area": "council:1",
            "group": str(city.pothole.group_id),
        },
        headers={"accept-language": "es"},
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == "/neighborhood/subscribe/sent/"
    subscription = AreaSubscription.objects.get()
    assert (
        subscription.email,
        subscription.language,
        subscription.area_id,
        subscription.service_group_id,
        subscription.service_type_id,
        subscription.frequency,
        subscription.confirmed_at,
    ) == ("lola@example.org", "es", city.district_1.pk, city.pothole.group_id, None, "weekly", None)
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("data", "label"),
    [
        ({"email": "not-an-address", "frequency": "weekly"}, "Your e-mail address"),
        ({"email": "a@example.org", "frequency": "hourly"}, "How often"),
        ({"email": "a@example.org", "frequency": "each", "area": "council:99"}, "Area"),
        ({"email": "a@example.org", "frequency": "each", "service": "nope"}, "Service"),
    ],
)
def test_a_bad_subscription_gets_the_form_back_and_stores_nothing(client, city, data, label):
    # when
    response = client.post("/neighborhood/subscribe/", data)
    # then
    assert response.status_code == 400
    summary = response.content.decode().split('class="error-summary"')[1].split("</div>")[0]
    assert f">{label}</a>:" in summary
    assert not AreaSubscription.objects.exists()


def test_one_address_subscribing_too_often_is_refused(client, city):
    # given
    for number in range(10):
        client.post(
            "/neighborhood/subscribe/", {"email": f"n{number}@example.org", "frequency": "each"}
        )
    # when
    response = client.post(
        "/neighborhood/subscribe/", {"email": "late@example.org", "frequency": "each"}
    )
    # then
    assert response.status_code == 429
    assert not AreaSubscription.objects.filter(email="late@example.org").exists()
