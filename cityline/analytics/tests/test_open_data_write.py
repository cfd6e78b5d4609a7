"""The open-data export: what it publishes, and the personal data it never lets out."""

import csv
import json
from datetime import datetime

import h3
import pyarrow.parquet as pq
import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.analytics.opendata import (
    OPEN_DATA_SCHEMA,
    SCHEMA_VERSION,
    file_name,
    open_data_due,
    open_data_latest,
    open_data_write,
)
from cityline.analytics.opendata_views import DICTIONARY
from cityline.analytics.tasks import analytics_refresh_task
from cityline.catalog.models import OpenDataText, RequestVisibility
from cityline.catalog.services import service_type_open_data_set
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.contacts.models import RequestLink
from cityline.contacts.services import CallerDetails, contact_request_link
from cityline.contacts.tests.factories import make_contact
from cityline.servicerequests.models import Channel, Resolution
from cityline.servicerequests.services.intake import RequesterDetails
from cityline.servicerequests.services.lifecycle import service_request_close
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db

AT = datetime(2026, 3, 2, 15, 0).astimezone()
EXACT_POINT = (41.851234, -87.651234)

# Personal data planted in every free-text field and every record a request has.
PLANTED = [
    "Jessamine",
    "Quillfeather",
    "jess.quill@example.net",
    "312-555-0147",
    "3125550147",
    "Thaddeus",
    "Brackenridge",
    "Oswin",
    "Pemberley",
    "Marguerite",
    "Vantongeren",
    "Ysolde",
    "Ravensworth",
    "(773) 555-0199",
    "ysolde@example.org",
    "Cornelius",
    "Ashdown",
    "1600 Fenwick Lane",
    "+1 872 555 0123",
]


@pytest.fixture(autouse=True)
def open_data_dir(settings, tmp_path):
    settings.CITYLINE_OPEN_DATA_DIR = tmp_path / "open-data"
    return settings.CITYLINE_OPEN_DATA_DIR


@pytest.fixture
def planted(db):
    """Requests of a public type, a sensitive type, a type whose text is left out, a hidden
    type and a staff-only type, each carrying personal data."""
    user_with_role(Role.CALL_TAKER, first_name="Cornelius", last_name="Ashdown")
    pothole = ServiceTypeFactory.create(code="pothole")
    elder = ServiceTypeFactory.create(code="elder-care")
    service_type_open_data_set(
        service_type_id=elder.pk, text=OpenDataText.SCRUBBED, location_sensitive=True
    )
    noise = ServiceTypeFactory.create(code="noise")
    service_type_open_data_set(
        service_type_id=noise.pk, text=OpenDataText.LEFT_OUT, location_sensitive=False
    )
    hidden = ServiceTypeFactory.create(code="vacant", request_visibility=RequestVisibility.HIDDEN)
    staff_only = ServiceTypeFactory.create(code="inspection", is_public=False)
    requester = RequesterDetails(
        first_name="Jessamine",
        last_name="Quillfeather",
        email="jess.quill@example.net",
        phone="312-555-0147",
    )
    with time_machine.travel(AT, tick=False):
        requests = {
            "pothole": make_request(
                service_type=pothole,
                description="Jessamine here, call 3125550147 or jess.quill@example.net. "
                "My neighbor Thaddeus Brackenridge saw it. Mr. Oswin too; Cornelius Ashdown "
                "from the city came. Thanks, Marguerite Vantongeren",
                requester=requester,
                address="12 State St",
            ),
            "elder": make_request(
                service_type=elder,
                latitude=EXACT_POINT[0],
                longitude=EXACT_POINT[1],
                address="1600 Fenwick Lane",
                description="My name is Ysolde Ravensworth, (773) 555-0199, ysolde@example.org",
                requester=requester,
            ),
            "noise": make_request(service_type=noise, description="Loud party, it's Pemberley"),
            "hidden": make_request(service_type=hidden),
            "staff_only": make_request(service_type=staff_only),
        }
        contact = make_contact(
            agent=None,
            at=AT,
            caller=CallerDetails(name="Oswin Pemberley", phone="+1 872 555 0123"),
        )
        contact_request_link(
            contact=contact, request=requests["pothole"], link=RequestLink.ASKED_ABOUT
        )
        requests["pothole"] = service_request_close(
            request=requests["pothole"],
            resolution=Resolution.COMPLETED,
            by=None,
            via=Channel.STAFF,
            public_note="Fixed. Told Ms Pemberley at +1 872 555 0123; Oswin was pleased.",
        )
    return requests


def _files(folder) -> dict[str, bytes]:
    return {fmt: (folder / file_name(fmt)).read_bytes() for fmt in ("csv", "parquet", "geojson")}


def _csv_rows(folder) -> dict[str, dict[str, str]]:
    with open(folder / file_name("csv"), newline="", encoding="utf-8") as handle:
        return {row["service_request_id"]: row for row in csv.DictReader(handle)}


def test_no_planted_personal_data_reaches_any_file_or_the_page(planted, open_data_dir):
    # when
    open_data_write()
    page = Client().get(reverse("open_data:page")).content.decode()
    # then
    parquet_text = json.dumps(
        pq.read_table(open_data_dir / file_name("parquet")).to_pylist(), default=str
    )
    texts = {
        "csv": _files(open_data_dir)["csv"].decode(),
        "geojson": _files(open_data_dir)["geojson"].decode(),
        "parquet": parquet_text,
        "page": page,
    }
    for where, text in texts.items():
        for secret in PLANTED:
            assert secret.lower() not in text.lower(), f"{secret!r} in the {where}"


def test_a_sensitive_types_location_is_its_cells_centre_in_every_format(planted, open_data_dir):
    # given
    number = planted["elder"].tracking_number
    centre = h3.cell_to_latlng(h3.latlng_to_cell(*EXACT_POINT, 8))
    # when
    open_data_write()
    # then
    row = _csv_rows(open_data_dir)[number]
    assert (float(row["latitude"]), float(row["longitude"])) == pytest.approx(centre)
    assert row["location_precision"] == "h3_cell"
    assert row["address"] == ""
    parquet = {
        r["service_request_id"]: r
        for r in pq.read_table(open_data_dir / file_name("parquet")).to_pylist()
    }
    assert (parquet[number]["latitude"], parquet[number]["longitude"]) == pytest.approx(centre)
    features = json.loads(_files(open_data_dir)["geojson"])["features"]
    feature = next(f for f in features if f["id"] == number)
    assert feature["geometry"]["coordinates"] == pytest.approx([centre[1], centre[0]])
    assert str(EXACT_POINT[0]) not in _files(open_data_dir)["geojson"].decode()


def test_text_is_scrubbed_or_left_out_as_the_type_says(planted, open_data_dir):
    # when
    open_data_write()
    # then
    rows = _csv_rows(open_data_dir)
    pothole = rows[planted["pothole"].tracking_number]
    assert pothole["description"] == (
        "[name] here, call [phone] or [email]. My neighbor [name] saw it. Mr. [name] too; "
        "[name] [name] from the city came. Thanks, [name]"
    )
    assert pothole["status_notes"] == "Fixed. Told Ms [name] at [phone]; [name] was pleased."
    assert pothole["address"] == "12 State St"
    assert pothole["location_precision"] == "exact"
    assert rows[planted["noise"].tracking_number]["description"] == ""


def test_hidden_and_staff_only_types_never_appear(planted, open_data_dir):
    # when
    export = open_data_write()
    # then
    rows = _csv_rows(open_data_dir)
    assert set(rows) == {planted[name].tracking_number for name in ("pothole", "elder", "noise")}
    assert export.rows == 3
    for text in (_files(open_data_dir)["geojson"].decode(), _files(open_data_dir)["csv"].decode()):
        assert planted["hidden"].tracking_number not in text
        assert planted["staff_only"].tracking_number not in text


def test_every_format_holds_the_same_rows_with_the_dictionarys_columns(planted, open_data_dir):
    # when
    export = open_data_write()
    # then
    assert [column.name for column in DICTIONARY] == OPEN_DATA_SCHEMA.names
    table = pq.read_table(open_data_dir / file_name("parquet"))
    assert table.schema.names == OPEN_DATA_SCHEMA.names
    assert table.num_rows == 3
    with open(open_data_dir / file_name("csv"), newline="", encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == OPEN_DATA_SCHEMA.names
    geojson = json.loads(_files(open_data_dir)["geojson"])
    assert len(geojson["features"]) == 3
    assert set(geojson["features"][0]["properties"]) == set(OPEN_DATA_SCHEMA.names) - {
        "latitude",
        "longitude",
    }
    assert export.schema_version == SCHEMA_VERSION
    assert {file.name: file.size for file in export.files} == {
        file_name(fmt): (open_data_dir / file_name(fmt)).stat().st_size
        for fmt in ("csv", "parquet", "geojson")
    }


def test_the_export_streams_in_chunks_and_keeps_every_row(planted, open_data_dir, settings):
    # given
    settings.CITYLINE_ANALYTICS_CHUNK_SIZE = 1
    # when
    export = open_data_write()
    # then
    assert export.rows == 3
    assert len(json.loads(_files(open_data_dir)["geojson"])["features"]) == 3


def test_the_command_writes_the_export_and_says_where(planted, open_data_dir, capsys):
    # when
    call_command("opendata", "export")
    # then
    out = capsys.readouterr().out
    assert out.startswith(f"3 requests written to {open_data_dir} (schema version 1)\n")
    assert f"{file_name('csv')}: " in out


def test_the_worker_writes_the_export_when_it_is_due(planted, settings):
    # given
    settings.CITYLINE_ANALYTICS_DIR = settings.CITYLINE_OPEN_DATA_DIR.parent / "analytics"
    assert open_data_due()
    # when
    analytics_refresh_task.enqueue()
    # then
    latest = open_data_latest()
    assert latest is not None and latest.rows == 3
    assert not open_data_due()


def test_the_export_is_due_again_after_its_hours(planted, settings):
    # given
    with time_machine.travel(AT, tick=False):
        open_data_write()
    # when / then
    with time_machine.travel(AT.replace(hour=14).replace(day=3), tick=False):
        assert not open_data_due()
    with time_machine.travel(AT.replace(day=3), tick=False):
        assert open_data_due()
