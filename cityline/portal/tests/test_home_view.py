"""The home page as a service portal, and the city's identity the operator sets in the admin."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cityline.accounts.tests.factories import UserFactory
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.core.errors import InvalidInput
from cityline.portal.models import CityIdentity
from cityline.portal.services import city_identity_prepare, city_identity_update
from cityline.servicerequests.tests.factories import make_request
from cityline.servicerequests.tests.photos import pdf_upload

pytestmark = pytest.mark.django_db


def _png(width: int = 900, height: int = 300) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (10, 60, 120, 255)).save(out, format="PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")


def test_the_home_page_offers_report_check_and_answer_first(client):
    # when
    html = client.get("/").content.decode()
    # then
    report, check, answer = (
        html.index("Report a problem</h2>"),
        html.index("Check a request</h2>"),
        html.index("Find an answer</h2>"),
    )
    assert report < check < answer < html.index("Requests near you")
    assert f'action="{reverse("portal:report")}"' in html
    assert f'action="{reverse("track:search")}"' in html
    assert f'action="{reverse("portal:search")}"' in html


def test_the_most_reported_services_lead_the_tiles_and_link_to_reporting_them(client):
    # given
    busy = ServiceTypeFactory.create(code="pothole", name="Pothole")
    quiet = ServiceTypeFactory.create(code="graffiti", name="Graffiti")
    staff_only = ServiceTypeFactory.create(code="board-up", name="Board Up", is_public=False)
    for _ in range(3):
        make_request(service_type=busy)
    make_request(service_type=quiet)
    make_request(service_type=staff_only)
    # when
    html = client.get("/").content.decode()
    # then
    assert html.index("/report/?service=pothole") < html.index("/report/?service=graffiti")
    assert "board-up" not in html


def test_the_operators_identity_is_on_every_public_page(client):
    # given
    city_identity_update(
        prepared=city_identity_prepare(
            name="City of Springfield",
            colour="#004d40",
            contact_line="Call 311, or (555) 311-0000 from outside the city",
            logo=_png(),
        )
    )
    # when
    home = client.get("/").content.decode()
    report = client.get(reverse("portal:report")).content.decode()
    theme = client.get(reverse("portal:city-theme"))
    logo = client.get(reverse("portal:city-logo"))
    # then
    for page in (home, report):
        assert "City of Springfield" in page
        assert "Call 311, or (555) 311-0000 from outside the city" in page
        assert reverse("portal:city-logo") + "?v=" in page
    assert "--accent: #004d40;" in theme.content.decode()
    picture = Image.open(io.BytesIO(b"".join(logo.streaming_content)))
    assert (picture.format, max(picture.size)) == ("PNG", 512)


def test_a_city_without_a_logo_shows_none(client):
    # when
    page = client.get("/").content.decode()
    logo = client.get(reverse("portal:city-logo"))
    # then
    assert 'class="site-logo"' not in page
    assert logo.status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"colour": "#ffee00"}, "colour"),
        ({"colour": "blue"}, "colour"),
        ({"name": "  "}, "name"),
        ({"logo": pdf_upload("logo.png")}, "logo"),
    ],
)
def test_an_identity_hard_to_read_or_broken_is_refused(change, field):
    # given
    identity = {"name": "Springfield", "colour": "#004d40", "contact_line": "", **change}
    # when
    with pytest.raises(InvalidInput) as refused:
        city_identity_prepare(**identity)
    # then
    assert refused.value.field == field


def test_the_operator_sets_the_identity_in_the_admin_through_the_service(client):
    # given
    admin = UserFactory.create(is_staff=True, is_superuser=True)
    client.force_login(admin)
    # when
    faint = client.post(
        "/admin/portal/cityidentity/add/",
        {"name": "Springfield", "colour": "#eeeeee", "contact_line": ""},
    )
    saved = client.post(
        "/admin/portal/cityidentity/add/",
        {"name": "Springfield", "colour": "#004D40", "contact_line": "Call 311", "logo": _png()},
    )
    # then
    assert faint.status_code == 200
    assert "too faint to read" in faint.content.decode()
    assert saved.status_code == 302
    row = CityIdentity.objects.get()
    assert (row.name, row.colour, row.contact_line) == ("Springfield", "#004d40", "Call 311")
    assert row.logo.name.endswith(".png")
