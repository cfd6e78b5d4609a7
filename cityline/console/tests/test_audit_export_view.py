import csv
import io

import pytest

from cityline.accounts.audit import AuditTarget, audit_record
from cityline.accounts.models import AuditEntry
from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.catalog.tests.factories import AgencyFactory
from cityline.console.export_views import AUDIT_HEADER

pytestmark = pytest.mark.django_db

URL = "/console/audit/export.csv"


def _lines(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_audit_log_export_lists_the_filtered_entries_without_addresses(client):
    # given
    auditor = user_with_role(Role.AUDITOR, username="auditor")
    client.force_login(auditor)
    for action in ("role.granted", "queue.exported"):
        audit_record(
            actor=auditor,
            action=action,
            target=AuditTarget("queue", "DOT"),
            details={"rows": 3},
            ip="203.0.113.9",
        )
    # when
    response = client.get(URL, {"action": "queue."})
    # then
    lines = _lines(response)
    assert lines[0] == AUDIT_HEADER
    assert [line[1:5] for line in lines[1:]] == [["auditor", "queue.exported", "queue", "DOT"]]
    assert lines[1][5] == '{"rows": 3}'
    assert all("203.0.113.9" not in cell for line in lines for cell in line)


def test_the_audit_log_export_is_itself_recorded(client):
    # given
    administrator = user_with_role(Role.ADMINISTRATOR)
    client.force_login(administrator)
    audit_record(actor=None, action="request.closed", target=None, details={}, ip=None)
    # when
    lines = _lines(client.get(URL, {"action": "request."}))
    # then
    entry = AuditEntry.objects.get(action="audit_log.exported")
    assert entry.actor == administrator
    assert entry.details == {"filters": {"action": "request."}, "rows": 1}
    assert len(lines) == 2


def test_a_bad_date_is_a_400_naming_the_field(client):
    # given
    client.force_login(user_with_role(Role.SUPERVISOR_311))
    # when
    response = client.get(URL, {"date_from": "yesterday"})
    # then
    assert response.status_code == 400
    assert 'href="#id_date_from"' in response.content.decode()
    assert not AuditEntry.objects.filter(action="audit_log.exported").exists()


def test_an_agency_supervisor_exports_only_their_agencys_staffs_entries(client):
    # given
    dot, parks = AgencyFactory.create(code="DOT"), AgencyFactory.create(code="PARKS")
    supervisor = user_with_role(Role.AGENCY_SUPERVISOR, agency=dot)
    for worker, action in [
        (user_with_role(Role.AGENCY_WORKER, agency=dot), "request.note"),
        (user_with_role(Role.AGENCY_WORKER, agency=parks), "request.close"),
    ]:
        audit_record(actor=worker, action=action, target=None, details={}, ip=None)
    client.force_login(supervisor)
    # when
    response = client.get(URL)
    # then
    body = b"".join(response.streaming_content).decode()
    assert "request.note" in body
    assert "request.close" not in body


def test_agency_staff_do_not_export_the_audit_log(client):
    # given
    client.force_login(user_with_role(Role.CALL_TAKER))
    # when
    response = client.get(URL)
    # then
    assert response.status_code == 403
