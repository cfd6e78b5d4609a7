from datetime import timedelta

import pytest
import time_machine

from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import CrewFactory, UserFactory, user_with_role
from cityline.catalog.tests.factories import AgencyFactory
from cityline.geo.tests.factories import BoundaryAreaFactory, BoundaryLayerFactory, square
from cityline.servicerequests.models import Status
from cityline.servicerequests.tests.queue_helpers import NOW, filed, proactive, type_with_target

pytestmark = pytest.mark.django_db

URL = "/console/queue/"
H = timedelta(hours=1)


@pytest.fixture
def dot():
    return AgencyFactory.create(code="DOT", name="Transportation")


@pytest.fixture
def parks():
    return AgencyFactory.create(code="PARKS", name="Parks")


@pytest.fixture
def worker(client, dot):
    user = user_with_role(Role.AGENCY_WORKER, agency=dot, username="dot-worker", is_staff=True)
    client.force_login(user)
    return user


def _get(client, **params):
    with time_machine.travel(NOW, tick=False):
        return client.get(URL, params)


def test_a_worker_sees_their_agencys_open_requests_most_at_risk_first(client, dot, parks, worker):
    # given
    soon = filed(type_with_target(agency=dot, hours=10, name="Pothole"), ago=9 * H)
    later = filed(type_with_target(agency=dot, hours=10, name="Pothole"), ago=H)
    elsewhere = filed(type_with_target(agency=parks, hours=10), ago=9 * H)
    # when
    response = _get(client)
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index(soon.tracking_number) < body.index(later.tracking_number)
    assert elsewhere.tracking_number not in body
    assert "Pothole" in body
    assert f"/console/requests/{soon.tracking_number}/" in body


def test_the_page_shows_overdue_time_left_paused_clocks_and_proactive_labels(client, dot, worker):
    # given
    overdue = filed(type_with_target(agency=dot, hours=10), ago=13 * H)
    proactive(filed(type_with_target(agency=dot, hours=10), ago=H))
    filed(
        type_with_target(agency=dot, hours=10),
        ago=2 * H,
        status=Status.WAITING_ON_REQUESTER,
        status_ago=H,
    )
    # when
    body = _get(client).content.decode()
    # then
    assert overdue.tracking_number in body
    assert "overdue by 3\xa0hours" in body
    assert "9\xa0hours left" in body
    assert "clock paused" in body
    assert '<span class="label proactive">proactive</span>' in body
    assert "3 open requests (1 proactive)" in body


def test_the_filters_narrow_the_page(client, dot, worker):
    # given
    potholes = type_with_target(agency=dot, hours=10)
    mine = filed(potholes, ago=H, assignee=worker)
    someone_elses = filed(potholes, ago=H, assignee=UserFactory.create(is_staff=True))
    # when
    body = _get(client, queue="DOT", assignee="me", service_type=potholes.code).content.decode()
    # then
    assert mine.tracking_number in body
    assert someone_elses.tracking_number not in body
    assert "1 open request" in body


def test_the_area_filter_takes_any_layers_area(client, dot, worker):
    # given
    layer = BoundaryLayerFactory.create(slug="parks")
    park = BoundaryAreaFactory.create(
        layer=layer, code="P1", geometry=square(west=-87.7, south=41.8, size=0.1)
    )
    sla = type_with_target(agency=dot, hours=10)
    inside, outside = filed(sla, ago=H), filed(sla, ago=H, longitude=-87.45)
    # when
    body = _get(client, area=park.pk).content.decode()
    # then
    assert inside.tracking_number in body
    assert outside.tracking_number not in body


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("status", "closed"),
        ("status", "bogus"),
        ("older_than", "-1"),
        ("older_than", "many"),
        ("assignee", "999999"),
        ("origin", "imported"),
        ("area", "999999"),
        ("service_type", "no-such-type"),
        ("page", "0"),
        ("page", "1000"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_field(client, dot, worker, field, value):
    # when
    response = _get(client, **{field: value})
    # then
    assert response.status_code == 400
    assert f'href="#id_{field}"' in response.content.decode()


def test_another_agencys_service_type_is_not_a_filter_of_this_queue(client, dot, parks, worker):
    # given
    parks_type = type_with_target(agency=parks, hours=10)
    # when
    response = _get(client, service_type=parks_type.code)
    # then
    assert response.status_code == 400


def test_a_colleague_of_the_agency_is_an_assignee_filter(client, dot, worker):
    # given
    colleague = user_with_role(Role.AGENCY_SUPERVISOR, agency=dot, username="boss", is_staff=True)
    theirs = filed(type_with_target(agency=dot, hours=10), ago=H, assignee=colleague)
    # when
    response = _get(client, assignee=str(colleague.pk))
    # then
    assert response.status_code == 200
    assert theirs.tracking_number in response.content.decode()


def test_the_bulk_actions_offer_the_agencys_crews_alone(client, dot, parks, worker):
    # given
    filed(type_with_target(agency=dot, hours=10), ago=H)
    ours = CrewFactory.create(name="Pothole crew", agency=dot)
    CrewFactory.create(name="Tree crew", agency=parks)
    # when
    body = _get(client).content.decode()
    # then
    assert f'<option value="{ours.pk}">Pothole crew</option>' in body
    assert "Tree crew" not in body


def test_someone_with_several_queues_chooses_one_with_its_counts(client, dot, parks):
    # given
    supervisor = user_with_role(Role.SUPERVISOR_311)
    client.force_login(supervisor)
    filed(type_with_target(agency=dot, hours=10), ago=11 * H)
    # when
    body = _get(client).content.decode()
    # then
    assert "Choose a work queue" in body
    assert f"{URL}?queue=DOT" in body
    assert f"{URL}?queue=PARKS" in body


def test_a_partner_opens_the_queue_of_their_areas(client, dot, parks):
    # given
    layer = BoundaryLayerFactory.create(slug="council")
    district = BoundaryAreaFactory.create(
        layer=layer, code="1", geometry=square(west=-87.7, south=41.8, size=0.1)
    )
    client.force_login(user_with_role(Role.PARTNER, area=district))
    inside = filed(type_with_target(agency=parks, hours=10), ago=H)
    outside = filed(type_with_target(agency=dot, hours=10), ago=H, longitude=-87.45)
    # when
    response = _get(client)
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert inside.tracking_number in body
    assert outside.tracking_number not in body


@pytest.mark.parametrize(
    ("role", "queue", "status"),
    [
        ("agency_worker", "DOT", 200),
        ("agency_worker", "PARKS", 404),
        ("agency_worker", "NOPE", 404),
        ("agency_supervisor", "PARKS", 404),
        ("supervisor_311", "PARKS", 200),
        ("auditor", "PARKS", 200),
        ("administrator", "PARKS", 200),
        ("call_taker", "DOT", 403),
        ("knowledge_editor", "DOT", 403),
    ],
)
def test_each_role_opens_the_queues_of_its_scope(client, dot, parks, role, queue, status):
    # given
    scoped = role in {"agency_worker", "agency_supervisor", "knowledge_editor"}
    client.force_login(user_with_role(Role(role), **({"agency": dot} if scoped else {})))
    # when
    response = _get(client, queue=queue)
    # then
    assert response.status_code == status


def test_an_htmx_filter_change_gets_the_results_alone(client, dot, worker):
    # given
    filed(type_with_target(agency=dot, hours=10), ago=H)
    # when
    with time_machine.travel(NOW, tick=False):
        response = client.get(URL, {"queue": "DOT"}, HTTP_HX_REQUEST="true")
    # then
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="queue-results"')
    assert "<html" not in body


def test_the_home_page_counts_my_work(client, dot, worker):
    # given
    user_with_role(Role.CALL_TAKER)  # nobody else's work shows
    filed(type_with_target(agency=dot, hours=10), ago=11 * H)
    filed(type_with_target(agency=dot, hours=10), ago=9 * H, assignee=worker)
    # when
    with time_machine.travel(NOW, tick=False):
        body = client.get("/console/").content.decode()
    # then
    assert "My work" in body
    assert "<td>2</td>" in body  # open
    assert f'{URL}?queue=DOT&amp;assignee=unassigned">1</a>' in body


def test_an_htmx_filter_change_with_a_bad_value_gets_the_errors_in_the_results(client, dot, worker):
    # when
    with time_machine.travel(NOW, tick=False):
        response = client.get(URL, {"queue": "DOT", "older_than": "x"}, HTTP_HX_REQUEST="true")
    # then
    body = response.content.decode()
    assert response.status_code == 400
    assert body.lstrip().startswith('<section id="queue-results"')
    assert 'href="#id_older_than"' in body
