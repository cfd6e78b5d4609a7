"""The public open-data page and its downloads."""

import pytest
from django.test import Client
from django.urls import reverse

from cityline.analytics.opendata import SCHEMA_VERSION, file_name, open_data_write
from cityline.analytics.opendata_views import DICTIONARY
from cityline.catalog.tests.factories import ServiceTypeFactory
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def open_data_dir(settings, tmp_path):
    settings.CITYLINE_OPEN_DATA_DIR = tmp_path / "open-data"
    return settings.CITYLINE_OPEN_DATA_DIR


def test_before_the_first_export_the_page_says_so_and_shows_the_dictionary():
    # when
    response = Client().get(reverse("open_data:page"))
    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert "The first files have not been written yet" in page
    assert f"Data dictionary (schema version {SCHEMA_VERSION})" in page
    for column in DICTIONARY:
        assert f"<code>{column.name}</code>" in page
    assert 'href="/open311/v2/discovery.json"' in page


def test_the_page_lists_each_file_with_its_size_and_the_schema_version():
    # given
    make_request(service_type=ServiceTypeFactory.create())
    export = open_data_write()
    # when
    page = Client().get(reverse("open_data:page")).content.decode()
    # then
    assert f"Schema version {SCHEMA_VERSION}, written" in page
    assert "1 requests." in page
    for file in export.files:
        assert f'href="/open-data/{file.name}"' in page


def test_the_page_is_in_the_residents_language():
    # when
    page = Client().get(reverse("open_data:page"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    # then
    assert "Datos abiertos" in page


def test_a_file_downloads_as_written(open_data_dir):
    # given
    make_request(service_type=ServiceTypeFactory.create())
    open_data_write()
    # when
    response = Client().get(reverse("open_data:file", args=[file_name("csv")]))
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == (open_data_dir / file_name("csv")).read_bytes()


@pytest.mark.parametrize(
    "name", ["manifest.json", "cityline-requests-v0.csv", "..%2Fsecret", "%2Fetc%2Fpasswd"]
)
def test_only_the_exports_own_files_are_served(name, open_data_dir):
    # given
    make_request(service_type=ServiceTypeFactory.create())
    open_data_write()
    # when
    response = Client().get(f"/open-data/{name}")
    # then
    assert response.status_code == 404


def test_a_file_before_any_export_is_not_found():
    # when
    response = Client().get(reverse("open_data:file", args=[file_name("parquet")]))
    # then
    assert response.status_code == 404


def test_the_page_refuses_a_post():
    # when
    response = Client().post(reverse("open_data:page"))
    # then
    assert response.status_code == 405
