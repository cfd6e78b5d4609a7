import csv
import io
from datetime import timedelta

import pytest
import time_machine

from cityline.accounts.models import AuditEntry
from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.catalog.tests.factories import AgencyFactory
from cityline.console.export_views import QUEUE_HEADER
from cityline.servicerequests.services.intake import RequesterDetails
from cityline.servicerequests.tests.factories import make_request
from cityline.servicerequests.tests.queue_helpers import NOW, filed, proactive, type_with_target

pytestmark = pytest.mark.django_db

URL = "/console/queue/export.csv"
H = timedelta(hours=1)


@pytest.fixture
def dot():
    return AgencyFactory.create(code="DOT", name="Transportation")


@pytest.fixture
def worker(client, dot):
    user = user_with_role(Role.AGENCY_WORKER, agency=dot, username="dot-worker", is_staff=True)
    client.force_login(user)
    return user


def _export(client, **params):
    with time_machine.travel(NOW, tick=False):
        response = client.get(URL, {"queue": "DOT", **params})
    return response, list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_export_holds_the_filtered_queue_in_its_order(client, dot, worker):
    # given
    sla = type_with_target(agency=dot, hours=10, name="Pothole")
    later, sooner = filed(sla, ago=H), filed(sla, ago=11 * H)
    proactive(filed(sla, ago=2 * H))
    # when
    response, lines = _export(client, origin="reported")
    # then
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert lines[0] == QUEUE_HEADER
    assert [line[0] for line in lines[1:]] == [sooner.tracking_number, later.tracking_number]
    first = dict(zip(QUEUE_HEADER, lines[1], strict=True))
    assert first["service_type"] == "Pothole"
    assert first["clock"] == "running"
    assert first["seconds_left"] == str(-3600)
    assert first["proactive"] == "no"


def test_the_export_is_written_to_the_audit_log_with_its_filters_and_rows(client, dot, worker):
    # given
    sla = type_with_target(agency=dot, hours=10)
    filed(sla, ago=H), filed(sla, ago=2 * H)
    # when
    _export(client, status="new")
    # then
    entry = AuditEntry.objects.get(action="queue.exported")
    assert entry.actor == worker
    assert (entry.target_type, entry.target_id) == ("queue", "DOT")
    assert entry.details == {"filters": {"status": "new"}, "rows": 2}


def test_the_export_holds_no_requester_details_nor_descriptions(client, dot, worker):
    # given
    with time_machine.travel(NOW - H, tick=False):
        make_request(
            service_type=type_with_target(agency=dot, hours=10),
            description="Call me on 555-0100, Ana",
            requester=RequesterDetails(
                first_name="Ana", last_name="Resident", email="ana@example.org", phone="555-0100"
            ),
        )
    # when
    _, lines = _export(client)
    # then
    text = "\n".join(",".join(line) for line in lines)
    assert len(lines) == 2
    for personal in ("Ana", "Resident", "ana@example.org", "555-0100"):
        assert personal not in text


def test_a_bad_filter_is_refused_and_nothing_is_recorded(client, dot, worker):
    # when
    with time_machine.travel(NOW, tick=False):
        response = client.get(URL, {"queue": "DOT", "older_than": "soon"})
    # then
    assert response.status_code == 400
    assert 'href="#id_older_than"' in response.content.decode()
    assert not AuditEntry.objects.filter(action="queue.exported").exists()


def test_another_agencys_queue_is_not_exported(client, dot, worker):
    # given
    AgencyFactory.create(code="PARKS")
    # when
    response = client.get(URL, {"queue": "PARKS"})
    # then
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="queue.exported").exists()
