import pytest

from cityline.accounts.models import AuditEntry
from cityline.accounts.roles import Role
from cityline.accounts.services import staff_key_create, staff_key_revoke
from cityline.accounts.tests.factories import UserFactory, user_with_role
from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory
from cityline.servicerequests.models import ServiceRequest

pytestmark = pytest.mark.django_db

URL = "/api/staff/v1/proactive"


@pytest.fixture
def dot():
    agency = AgencyFactory.create(code="DOT")
    ServiceTypeFactory.create(code="pothole", agency=agency)
    return agency


def _key_for(user) -> str:
    return staff_key_create(user=user, name="sweep", by=None)[1]


def _post(client, key: str | None, body: dict):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return client.post(URL, body, content_type="application/json", headers=headers)


def _batch(*external_ids: str, source: str = "street-sweep") -> dict:
    return {
        "source": source,
        "rows": [
            {"service_code": "pothole", "lat": 41.85, "long": -87.65, "external_id": external_id}
            for external_id in external_ids
        ],
    }


def test_a_batch_is_filed_as_the_keys_member_of_staff_and_audited(client, dot):
    # given
    worker = user_with_role(Role.AGENCY_WORKER, agency=dot)
    # when
    response = _post(client, _key_for(worker), _batch("p-1", "p-2"))
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["counts"]["created"] == 2
    filed = ServiceRequest.objects.all()
    assert {(r.proactive, r.created_by_id) for r in filed} == {(True, worker.pk)}
    assert {row["tracking_number"] for row in body["rows"]} == {r.tracking_number for r in filed}
    audit = AuditEntry.objects.get(action="proactive.batch_filed")
    assert (audit.actor, audit.target_id) == (worker, "street-sweep")


def test_sending_a_batch_again_files_nothing_twice(client, dot):
    # given
    key = _key_for(user_with_role(Role.SUPERVISOR_311))
    first = _post(client, key, _batch("p-1", "p-2")).json()
    # when
    again = _post(client, key, _batch("p-1", "p-2", "p-3")).json()
    # then
    assert ServiceRequest.objects.count() == 3
    assert [row["outcome"] for row in again["rows"]] == [
        "already filed",
        "already filed",
        "created",
    ]
    assert again["rows"][0]["tracking_number"] == first["rows"][0]["tracking_number"]


def test_a_dry_run_stores_nothing(client, dot):
    # given
    key = _key_for(user_with_role(Role.ADMINISTRATOR))
    # when
    body = _post(client, key, {**_batch("p-1"), "dry_run": True}).json()
    # then
    assert body["counts"]["would be created"] == 1
    assert not ServiceRequest.objects.exists()


def test_another_agencys_rows_are_refused_naming_the_field(client, dot):
    # given
    parks_worker = user_with_role(Role.AGENCY_WORKER, agency=AgencyFactory.create(code="PARKS"))
    # when
    body = _post(client, _key_for(parks_worker), _batch("p-1")).json()
    # then
    assert body["rows"][0]["outcome"] == "refused"
    assert body["rows"][0]["field"] == "service_code"
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rows": [{"service_code": "pothole"}]}, "source"),
        ({"source": "s", "rows": []}, "rows"),
        ({"source": "s", "rows": [{"lat": 41.85}]}, "rows.service_code"),
        ({"source": "s", "rows": [{"service_code": "pothole", "lat": "north"}]}, "rows.lat"),
    ],
)
def test_a_malformed_batch_is_a_400_naming_the_field(client, dot, body, field):
    # given
    key = _key_for(user_with_role(Role.ADMINISTRATOR))
    # when
    response = _post(client, key, body)
    # then
    assert response.status_code == 400
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not ServiceRequest.objects.exists()


def test_without_a_key_or_with_a_revoked_one_the_answer_is_401(client, dot):
    # given
    admin = user_with_role(Role.ADMINISTRATOR)
    staff_key, raw_key = staff_key_create(user=admin, name="sweep", by=admin)
    staff_key_revoke(staff_key=staff_key, by=admin)
    # when
    missing = _post(client, None, _batch("p-1"))
    revoked = _post(client, raw_key, _batch("p-1"))
    wrong = _post(client, "not-a-key", _batch("p-1"))
    # then
    assert (missing.status_code, revoked.status_code, wrong.status_code) == (401, 401, 401)
    assert not ServiceRequest.objects.exists()


def test_a_key_of_a_deactivated_account_is_refused(client, dot):
    # given
    admin = user_with_role(Role.ADMINISTRATOR)
    key = _key_for(admin)
    admin.is_active = False
    admin.save()
    # when
    response = _post(client, key, _batch("p-1"))
    # then
    assert response.status_code == 401


@pytest.mark.parametrize("role", [Role.CALL_TAKER, Role.AUDITOR, None])
def test_staff_who_file_nothing_proactive_are_forbidden(client, dot, role):
    # given
    user = user_with_role(role) if role else UserFactory.create()
    # when
    response = _post(client, _key_for(user), _batch("p-1"))
    # then
    assert response.status_code == 403
    assert not ServiceRequest.objects.exists()


def test_keys_are_stored_hashed_and_their_issue_and_revocation_audited():
    # given
    admin = user_with_role(Role.ADMINISTRATOR)
    # when
    staff_key, raw_key = staff_key_create(user=admin, name="sweep", by=admin)
    staff_key_revoke(staff_key=staff_key, by=admin)
    # then
    assert raw_key not in staff_key.key_hash and staff_key.key_prefix == raw_key[:8]
    assert set(
        AuditEntry.objects.filter(
            target_type="accounts.staffkey", target_id=str(staff_key.pk)
        ).values_list("action", flat=True)
    ) == {"staff_key.created", "staff_key.revoked"}
