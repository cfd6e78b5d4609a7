"""Whatever a client sends, Open311 answers it without a server error.

Hypothesis draws forms, query strings and raw bodies around what the endpoints read; any answer of
500 or more (or an exception the test client re-raises) fails. Kept small enough to run in seconds.
"""

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cityline.open311.tests.helpers import assert_error
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
REQUEST_FIELDS = [
    "service_code",
    "lat",
    "long",
    "address_string",
    "address_id",
    "description",
    "email",
    "first_name",
    "phone",
    "media_url",
    "attribute[size]",
    "attribute[hazards][]",
    "attribute[depth]",
    "jurisdiction_id",
]
UPDATE_FIELDS = ["service_request_id", "status", "updated_datetime", "description", "media_url"]
QUERY_FIELDS = [
    "service_request_id",
    "service_code",
    "status",
    "start_date",
    "end_date",
    "page",
    "page_size",
    "jurisdiction_id",
]
# Values near what the parsers accept, and anything at all.
VALUES = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "pothole",
            "large",
            "41.85",
            "-87.65",
            "1e-320",
            "4_1.85",
            "\uff14\uff11",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59-12:00",
            "2026-03-02T10:00:00 05:00",
            "FIXED",
            "open,closed",
            "https://img.example/a.jpg",
            "\x00",
        ]
    ),
    st.from_regex(r"-?[0-9]{1,4}(\.[0-9]{0,12})?", fullmatch=True),
    st.datetimes().map(lambda moment: moment.isoformat()),
)


def _form(names: list[str]) -> st.SearchStrategy[dict[str, list[str]]]:
    return st.dictionaries(
        st.one_of(st.sampled_from(names), st.text(max_size=20)),
        st.lists(VALUES, min_size=1, max_size=3),
        max_size=len(names),
    )


def _is_no_server_error(response) -> bool:
    return response.status_code < 500


@pytest.fixture
def a_request(db):
    return make_request()


@FUZZ
@given(form=_form(REQUEST_FIELDS), fmt=st.sampled_from(["json", "xml"]))
def test_posting_any_request_form_is_never_a_server_error(client, pothole, raw_key, form, fmt):
    # given
    body = urlencode({**form, "api_key": [raw_key]}, doseq=True)
    # when
    response = client.post(
        f"/open311/v2/requests.{fmt}", body, content_type="application/x-www-form-urlencoded"
    )
    # then
    assert _is_no_server_error(response), response.content


@FUZZ
@given(form=_form(UPDATE_FIELDS))
def test_posting_any_update_form_is_never_a_server_error(client, raw_key, a_request, form):
    # given
    fields = {"service_request_id": [a_request.tracking_number], **form, "api_key": [raw_key]}
    # when
    response = client.post(
        "/open311/v2/servicerequestupdates.json",
        urlencode(fields, doseq=True),
        content_type="application/x-www-form-urlencoded",
    )
    # then
    assert _is_no_server_error(response), response.content


@FUZZ
@given(
    query=_form(QUERY_FIELDS),
    path=st.sampled_from(["requests", "servicerequestupdates", "services", "discovery"]),
    fmt=st.sampled_from(["json", "xml"]),
)
def test_getting_with_any_query_is_never_a_server_error(client, a_request, query, path, fmt):
    # when
    response = client.get(f"/open311/v2/{path}.{fmt}?{urlencode(query, doseq=True)}")
    # then
    assert _is_no_server_error(response), response.content


@FUZZ
@given(
    body=st.binary(max_size=300),
    content_type=st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=latin-1",
            "multipart/form-data; boundary=x",
            "multipart/form-data; boundary=x; charset=rot13",
            "multipart/form-data; boundary=x; charset=utf-16",
            "multipart/form-data",
            "application/json",
            "",
        ]
    ),
)
def test_posting_any_body_is_an_error_document_never_a_server_error(client, body, content_type):
    # when
    response = client.generic("POST", "/open311/v2/requests.json", body, content_type=content_type)
    # then
    assert _is_no_server_error(response), response.content
    if response.status_code >= 400:
        assert_error(response, response.status_code)
