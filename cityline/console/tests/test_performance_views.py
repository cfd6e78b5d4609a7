"""The performance page, its drill-down to the requests and the Charter monthly report, at the
HTTP level: figures from the store, each role's scope and refusal, bad input refused by field."""

import csv
import io
from datetime import UTC, datetime

import pypdf
import pytest
import time_machine

from cityline.accounts.models import AuditEntry
from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.analytics.reports import monthly_report_write
from cityline.analytics.services import analytics_refresh
from cityline.analytics.tasks import analytics_refresh_task
from cityline.analytics.tests.conftest import AS_OF, LAYER, City, build_city
from cityline.catalog.models import Agency
from cityline.geo.models import BoundaryArea

pytestmark = pytest.mark.django_db

PAGE = "/console/performance/"
DRILL = "/console/performance/requests/"
REPORT = "/console/performance/report/"
WINDOW = {"date_from": "2026-02-01", "date_to": "2026-03-31", "layer": LAYER}


@pytest.fixture
def city(settings, tmp_path) -> City:
    settings.CITYLINE_ANALYTICS_DIR = tmp_path / "analytics"
    settings.CITYLINE_DISTRICT_LAYER = LAYER
    built = build_city()
    with time_machine.travel(AS_OF, tick=False):
        analytics_refresh(full=True)
    return built


@pytest.fixture
def at_as_of():
    with time_machine.travel(AS_OF, tick=False):
        yield


def _signed_in(client, role: Role, **scope):
    client.force_login(user_with_role(role, **scope))
    return client


def test_a_311_supervisor_sees_volume_beside_the_year_before_compliance_and_hot_spots(
    client, city, at_as_of
):
    # given
    _signed_in(client, Role.SUPERVISOR_311)
    # when
    response = client.get(PAGE, {**WINDOW, "period": "month", "dimension": "agency"})
    # then
    assert response.status_code == 200
    volume = response.context["volume"]
    # February: one request (none the year before in the window's months' store); March: seven.
    assert [(day.isoformat(), now) for day, now, _ in volume["periods"]] == [
        ("2026-02-01", 1),
        ("2026-03-01", 7),
    ]
    assert dict((key, totals[0]) for key, totals in volume["keys"]) == {"STR": 7, "DOT": 1}
    rows = {(r.month, r.service_type, r.area): r for r, _ in response.context["compliance"]["rows"]}
    assert rows[("2026-03", "pothole", "2")].late_by_reason == {"Weather": 1}
    assert [(s.key, s.requests) for s in response.context["hot_spots"]["spots"]] == [
        ("1", 6),
        ("2", 2),
    ]
    # The districts drawn as a choropleth, for the page and for the map.
    assert [shape.key for shape in response.context["hot_spots"]["map"].shapes] == ["1", "2"]
    assert 'data-hotspots="hotspot-places"' in response.content.decode()


def test_the_hot_spots_by_h3_cell_are_drawn_as_a_map_with_their_counts_listed(
    client, city, at_as_of
):
    # given
    _signed_in(client, Role.AUDITOR)
    # when
    response = client.get(PAGE, {**WINDOW, "place": "cell"})
    # then
    assert response.status_code == 200
    hot = response.context["hot_spots"]
    assert sum(spot.requests for spot in hot["spots"]) == 8
    assert len(hot["map"].shapes) == hot["count"]
    assert 'fill="url(#shade-5)"' in response.content.decode()
    assert len(hot["geojson"]["features"]) == hot["count"]


def test_an_agency_supervisor_reads_only_their_agencys_figures(client, city, at_as_of):
    # given
    _signed_in(client, Role.AGENCY_SUPERVISOR, agency=Agency.objects.get(code="DOT"))
    # when
    response = client.get(PAGE, WINDOW)
    # then
    assert response.status_code == 200
    assert response.context["selection"].agency == "DOT"
    assert {row.agency for row, _ in response.context["compliance"]["rows"]} == {"DOT"}
    # when
    refused = client.get(PAGE, {**WINDOW, "agency": "STR"})
    # then
    assert refused.status_code == 403


@pytest.mark.parametrize("role", [Role.AGENCY_WORKER, Role.CALL_TAKER, Role.PARTNER])
def test_roles_without_figures_are_refused(client, city, role):
    # given
    scope = {
        Role.AGENCY_WORKER: {"agency": Agency.objects.get(code="DOT")},
        Role.PARTNER: {"area": BoundaryArea.objects.get(code="1")},
    }.get(role, {})
    _signed_in(client, role, **scope)
    # when
    response = client.get(PAGE)
    # then
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"date_from": "2026-03-10", "date_to": "2026-03-01"}, "date_to"),
        ({"date_from": "yesterday"}, "date_from"),
        ({"period": "year"}, "period"),
        ({"dimension": "colour"}, "dimension"),
        ({"place": "street"}, "place"),
        ({"channel": "pigeon"}, "channel"),
        ({"layer": "not a slug!"}, "layer"),
        ({"period": "day", "date_from": "2020-01-01", "date_to": "2026-03-01"}, "date_from"),
    ],
)
def test_bad_filters_are_refused_naming_the_field(client, city, query, field):
    # given
    _signed_in(client, Role.SUPERVISOR_311)
    # when
    response = client.get(PAGE, query)
    # then
    assert response.status_code == 400
    assert field in response.context["form"].errors


def test_the_drill_down_lists_the_late_closes_without_a_reason_linked_to_their_pages(client, city):
    # given
    _signed_in(client, Role.SUPERVISOR_311)
    # when
    response = client.get(
        DRILL,
        {
            "month": "2026-03",
            "agency": "STR",
            "service_type": "pothole",
            "subset": "late",
            "late_reason": "",
            "layer": LAYER,
            "area": "1",
        },
    )
    # then: the inspector's duplicate, closed late without a reason
    number = city.requests["inspector"].tracking_number
    assert response.context["numbers"] == [number]
    assert f'href="/console/requests/{number}/"' in response.content.decode()


def test_the_drill_down_shows_an_agency_supervisor_their_agencys_requests_only(client, city):
    # given
    _signed_in(client, Role.AGENCY_SUPERVISOR, agency=Agency.objects.get(code="DOT"))
    # when
    mine = client.get(DRILL, {"month": "2026-03"})
    theirs = client.get(DRILL, {"month": "2026-03", "agency": "STR"})
    # then
    assert mine.context["numbers"] == [city.requests["open_light"].tracking_number]
    assert theirs.status_code == 403


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"month": "2026-13"}, "month"),
        ({}, "month"),
        ({"month": "2026-03", "subset": "x"}, "subset"),
    ],
)
def test_the_drill_down_refuses_bad_input_naming_the_field(client, city, query, field):
    # given
    _signed_in(client, Role.AUDITOR)
    # when
    response = client.get(DRILL, query)
    # then
    assert response.status_code == 400
    assert field in response.context["form"].errors


def test_the_monthly_report_as_csv_counts_each_type_citywide_and_by_district_and_is_audited(
    client, city
):
    # given
    user = user_with_role(Role.AUDITOR)
    client.force_login(user)
    # when
    response = client.get(REPORT, {"month": "2026-03", "format": "csv"})
    # then
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    potholes = {(r["scope"], r["district"]): r for r in rows if r["service_type"] == "pothole"}
    citywide = potholes[("citywide", "")]
    assert (citywide["received"], citywide["open"], citywide["closed"]) == ("4", "0", "4")
    assert (citywide["closed_completed"], citywide["closed_duplicate"]) == ("3", "1")
    assert potholes[("district", "2")]["received"] == "1"
    assert float(potholes[("district", "2")]["average_days_to_close"]) == pytest.approx(
        (3 * 24 - 1) / 24, abs=0.01
    )
    entry = AuditEntry.objects.get(action="analytics.report_downloaded")
    assert entry.actor == user and entry.details == {"month": "2026-03", "format": "csv"}


def test_the_monthly_report_as_pdf_holds_the_same_figures(client, city):
    # given
    _signed_in(client, Role.SUPERVISOR_311)
    # when
    response = client.get(REPORT, {"month": "2026-03", "format": "pdf"})
    # then
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Monthly service request report, 2026-03" in text
    assert "Received: 7. Still open: 3. Closed: 4." in text
    assert "completed: 3; duplicate: 1" in text
    assert "District 2" in text


@pytest.mark.parametrize(
    ("query", "field"),
    [({"month": "March"}, "month"), ({"month": "2026-03", "format": "doc"}, "format")],
)
def test_the_monthly_report_refuses_bad_input_naming_the_field(client, city, query, field):
    # given
    _signed_in(client, Role.SUPERVISOR_311)
    # when
    response = client.get(REPORT, query)
    # then
    assert response.status_code == 400
    assert response.content.decode().startswith(f"{field}:")


def test_an_agency_supervisor_may_not_download_the_citywide_report(client, city):
    # given
    _signed_in(client, Role.AGENCY_SUPERVISOR, agency=Agency.objects.get(code="DOT"))
    # when
    response = client.get(REPORT, {"month": "2026-03", "format": "csv"})
    # then
    assert response.status_code == 403


def test_the_worker_writes_the_month_that_ended_once_and_the_page_lists_it(client, city):
    # given
    april = datetime(2026, 4, 2, 15, 0, tzinfo=UTC)
    _signed_in(client, Role.SUPERVISOR_311)
    # when
    with time_machine.travel(april, tick=False):
        analytics_refresh_task.call()
        page = client.get(PAGE)
    # then
    assert page.context["reports"] == ["charter-monthly-2026-03.pdf", "charter-monthly-2026-03.csv"]
    stored = client.get("/console/performance/reports/charter-monthly-2026-03.csv")
    assert stored.status_code == 200
    assert b"2026-03,citywide,,Streets,pothole" in stored.content


def test_a_stored_report_is_served_by_its_name_only(client, city):
    # given
    monthly_report_write(month="2026-03")
    _signed_in(client, Role.AUDITOR)
    # when
    response = client.get("/console/performance/reports/..%2F..%2Fsettings.py")
    # then
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "listed"),
    [(Role.AUDITOR, True), (Role.AGENCY_SUPERVISOR, True), (Role.AGENCY_WORKER, False)],
)
def test_the_menu_offers_the_page_to_those_who_may_read_it(client, city, role, listed):
    # given
    scope = {"agency": Agency.objects.get(code="DOT")} if role != Role.AUDITOR else {}
    _signed_in(client, role, **scope)
    # when
    menu = client.get("/console/").context["console_menu"]
    # then
    assert ("Performance" in [item.label for item in menu]) is listed


def test_each_compliance_row_links_to_its_requests_and_late_closes_by_reason(
    client, city, at_as_of
):
    # given
    _signed_in(client, Role.SUPERVISOR_311)
    page = client.get(PAGE, WINDOW)
    (query,) = [
        q
        for row, q in page.context["compliance"]["rows"]
        if (row.month, row.service_type, row.area) == ("2026-03", "pothole", "2")
    ]
    # when
    late = client.get(f"{DRILL}?{query}&subset=late&late_reason=Weather")
    # then
    assert f"{DRILL}?{query.replace('&', '&amp;')}&amp;subset=late" in page.content.decode()
    assert late.context["numbers"] == [city.requests["late_weather"].tracking_number]
