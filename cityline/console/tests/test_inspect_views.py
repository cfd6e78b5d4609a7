import pytest

from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import UserFactory, user_with_role
from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory, list_question
from cityline.geo.tests.factories import AddressPointFactory
from cityline.servicerequests.models import Attachment, Channel, ServiceRequest
from cityline.servicerequests.tests.photos import jpeg_upload, pdf_upload

pytestmark = pytest.mark.django_db

URL = "/console/inspect/"


@pytest.fixture
def dot():
    return AgencyFactory.create(code="DOT", name="Transportation")


@pytest.fixture
def pothole(dot):
    service_type = ServiceTypeFactory.create(code="pothole", name="Pothole", agency=dot)
    list_question(service_type=service_type, code="depth", keys=["shallow", "deep"], required=True)
    return service_type


@pytest.fixture
def inspector(dot):
    return user_with_role(Role.AGENCY_WORKER, agency=dot, is_staff=True)


def _filing(**overrides):
    return {
        "service_code": "pothole",
        "lat": "41.85",
        "long": "-87.65",
        "address": "",
        "description": "Deep pothole in the bus lane.",
        "attribute[depth]": "deep",
        **overrides,
    }


def test_an_inspector_files_a_proactive_request_with_photos_and_sees_its_number(
    client, pothole, inspector
):
    # given
    client.force_login(inspector)
    # when
    response = client.post(URL, _filing(photos=[jpeg_upload(gps=True), jpeg_upload("b.jpg")]))
    # then
    filed = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/console/inspect/filed/{filed.tracking_number}/"
    assert (filed.proactive, filed.channel, filed.created_by) == (True, Channel.STAFF, inspector)
    assert filed.answers.get().value == "deep"
    assert Attachment.objects.filter(request=filed).exclude(photo="").count() == 2
    confirmation = client.get(response["Location"])
    assert filed.tracking_number in confirmation.content.decode()
    assert "File another" in confirmation.content.decode()


def test_without_coordinates_the_address_is_geocoded(client, pothole, inspector):
    # given
    AddressPointFactory.create(address="100 Main St", latitude=41.86, longitude=-87.64)
    client.force_login(inspector)
    # when
    response = client.post(URL, _filing(lat="", long="", address="100 Main St"))
    # then
    assert response.status_code == 302
    filed = ServiceRequest.objects.get()
    assert (filed.latitude, filed.longitude) == (41.86, -87.64)


def test_the_page_shows_the_types_questions_and_a_camera_input(client, pothole, inspector):
    # given
    client.force_login(inspector)
    # when
    response = client.get(URL, {"service_code": "pothole"})
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="attribute[depth]"' in html
    assert 'accept="image/*"' in html and 'capture="environment"' in html


def test_the_first_step_lists_the_inspectors_agencys_types_first(client, pothole, dot):
    # given
    ServiceTypeFactory.create(code="abandoned-car", name="Abandoned car")
    supervisor = user_with_role(Role.SUPERVISOR_311, agency=None, is_staff=True)
    supervisor.agency = dot
    supervisor.save()
    client.force_login(supervisor)
    # when
    html = client.get(URL).content.decode()
    # then
    assert html.index('value="pothole"') < html.index('value="abandoned-car"')


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"lat": "", "long": "", "address": ""}, "address"),
        ({"lat": "91"}, "lat"),
        ({"long": ""}, "long"),
        ({"lat": "", "long": "", "address": "1 Nowhere Lane"}, "address"),
        ({"description": ""}, "description"),
        ({"attribute[depth]": ""}, "attribute[depth]"),
        ({"attribute[depth]": "bottomless"}, "attribute[depth]"),
        ({"photos": [pdf_upload("pothole.jpg")]}, "photos"),
        ({"photos": [jpeg_upload(f"{n}.jpg") for n in range(4)]}, "photos"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
    client, pothole, inspector, overrides, field
):
    # given
    client.force_login(inspector)
    # when
    response = client.post(URL, _filing(**overrides))
    # then
    assert response.status_code == 400
    assert f'href="#id_{field}"' in response.content.decode()
    assert not ServiceRequest.objects.exists()
    assert not Attachment.objects.exists()


def test_another_agencys_type_is_refused(client, pothole):
    # given
    parks_worker = user_with_role(
        Role.AGENCY_WORKER, agency=AgencyFactory.create(code="PARKS"), is_staff=True
    )
    client.force_login(parks_worker)
    # when
    response = client.post(URL, _filing())
    # then
    assert response.status_code == 400
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize(
    ("role", "agency", "status"),
    [
        (Role.AGENCY_WORKER, "dot", 302),
        (Role.AGENCY_SUPERVISOR, "dot", 302),
        (Role.SUPERVISOR_311, None, 302),
        (Role.ADMINISTRATOR, None, 302),
        (Role.CALL_TAKER, None, 403),
        (Role.AUDITOR, None, 403),
        (Role.KNOWLEDGE_EDITOR, "dot", 403),
    ],
)
def test_who_may_file_from_the_field(client, pothole, dot, role, agency, status):
    # given
    client.force_login(user_with_role(role, agency=dot if agency else None, is_staff=True))
    # when
    response = client.post(URL, _filing())
    # then
    assert response.status_code == status
    assert ServiceRequest.objects.filter(proactive=True).exists() == (status == 302)


def test_people_without_a_role_are_refused_and_anonymous_sent_to_sign_in(client, pothole):
    # when
    anonymous = client.get(URL)
    client.force_login(UserFactory.create())
    resident = client.get(URL)
    # then
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert resident.status_code == 403


def test_the_confirmation_is_absent_for_staff_who_neither_filed_nor_see_the_request(
    client, pothole, inspector
):
    # given
    client.force_login(inspector)
    location = client.post(URL, _filing())["Location"]
    other = user_with_role(
        Role.AGENCY_WORKER, agency=AgencyFactory.create(code="PARKS"), is_staff=True
    )
    client.force_login(other)
    # when
    response = client.get(location)
    # then
    assert response.status_code == 404
