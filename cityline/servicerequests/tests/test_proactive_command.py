import json

import pytest
from django.core.management import CommandError, call_command

from cityline.accounts.models import AuditEntry
from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory, list_question
from cityline.geo.tests.factories import AddressPointFactory
from cityline.servicerequests.models import Channel, ServiceRequest

pytestmark = pytest.mark.django_db

CSV = """service_code,lat,long,address,description,external_id,attribute[depth]
pothole,41.85,-87.65,,Deep pothole,sweep-1,deep
pothole,,,100 Main St,By the school,sweep-2,shallow
"""


@pytest.fixture
def pothole():
    service_type = ServiceTypeFactory.create(
        code="pothole", agency=AgencyFactory.create(code="DOT")
    )
    list_question(service_type=service_type, code="depth", keys=["shallow", "deep"])
    AddressPointFactory.create(address="100 Main St", latitude=41.86, longitude=-87.64)
    return service_type


def _run(path, *args):
    lines: list[str] = []

    class Out:
        def write(self, text):
            lines.append(text.rstrip("\n"))

        def flush(self):
            pass

    try:
        call_command("proactive", "import", str(path), *args, stdout=Out())
    except CommandError as error:
        return lines, str(error)
    return lines, None


def test_a_csv_sweep_files_proactive_requests_with_answers(tmp_path, pothole):
    # given
    path = tmp_path / "sweep.csv"
    path.write_text(CSV)
    # when
    lines, error = _run(path)
    # then
    assert error is None
    filed = ServiceRequest.objects.order_by("id")
    assert [r.proactive for r in filed] == [True, True]
    assert {r.channel for r in filed} == {Channel.STAFF}
    assert [r.answers.get().value for r in filed] == ["deep", "shallow"]
    assert (filed[1].latitude, filed[1].longitude) == (41.86, -87.64)
    assert lines[0] == f"row 1 (sweep-1): created {filed[0].tracking_number}"
    assert lines[-1] == "2 created (source 'sweep')."
    assert AuditEntry.objects.filter(action="proactive.batch_filed", target_id="sweep").exists()


def test_re_running_a_sweep_files_nothing_twice(tmp_path, pothole):
    # given
    path = tmp_path / "sweep.csv"
    path.write_text(CSV)
    _run(path)
    # when
    lines, error = _run(path)
    # then
    assert error is None
    assert ServiceRequest.objects.count() == 2
    assert lines[-1] == "2 already filed (source 'sweep')."


def test_the_same_ids_from_another_source_are_filed(tmp_path, pothole):
    # given
    path = tmp_path / "sweep.csv"
    path.write_text(CSV)
    _run(path)
    # when
    _run(path, "--source", "night-sweep")
    # then
    assert ServiceRequest.objects.count() == 4


def test_bad_rows_are_refused_with_their_reasons_and_the_good_ones_filed(tmp_path, pothole):
    # given
    rows = [
        {"service_code": "pothole", "lat": 41.85, "long": -87.65, "external_id": "a"},
        {"service_code": "no-such-type", "lat": 41.85, "long": -87.65},
        {"service_code": "pothole", "lat": "north", "long": -87.65},
        {"service_code": "pothole"},
        {"service_code": "pothole", "lat": 41.85, "long": -87.65, "answers": {"depth": "x"}},
        {"service_code": "pothole", "lat": 41.85, "long": -87.65, "external_id": "a"},
    ]
    path = tmp_path / "model-output.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in rows) + "\nnot json\n")
    # when
    lines, error = _run(path)
    # then
    assert error == "6 rows refused"
    assert ServiceRequest.objects.count() == 1
    assert lines[1] == "row 2: refused: service_code: 'no-such-type' is not an active service type"
    assert lines[2] == "row 3: refused: lat: 'north' is not a number"
    assert lines[3].startswith("row 4: refused: address: ")
    assert lines[4].startswith("row 5: refused: attribute[depth]: ")
    assert lines[5] == "row 6 (a): refused: external_id: repeats row 1's external id"
    assert lines[6].startswith("row 7: refused: line: not JSON")


def test_a_dry_run_reports_what_would_be_filed_and_stores_nothing(tmp_path, pothole):
    # given
    path = tmp_path / "sweep.csv"
    path.write_text(CSV)
    # when
    lines, error = _run(path, "--dry-run")
    # then
    assert error is None
    assert not ServiceRequest.objects.exists()
    assert lines[-1] == "Dry run, nothing stored: 2 would be created (source 'sweep')."
    assert not AuditEntry.objects.filter(action="proactive.batch_filed").exists()


def test_filing_as_a_member_of_staff_holds_them_to_their_agencies_types(tmp_path, pothole):
    # given
    parks_worker = user_with_role(Role.AGENCY_WORKER, agency=AgencyFactory.create(code="PARKS"))
    path = tmp_path / "sweep.csv"
    path.write_text(CSV)
    # when
    lines, error = _run(path, "--as", parks_worker.username)
    # then
    assert error == "2 rows refused"
    assert (
        lines[0]
        == "row 1 (sweep-1): refused: service_code: 'pothole' is another agency's service type"
    )
    assert not ServiceRequest.objects.exists()
