import pytest

from cityline.accounts.audit import AuditTarget, audit_record
from cityline.accounts.models import AuditEntry, AuditLogIsAppendOnly
from cityline.accounts.tests.factories import UserFactory
from cityline.catalog.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_an_action_is_recorded_with_who_what_target_and_where():
    # given
    supervisor = UserFactory()
    agency = AgencyFactory()
    # when
    entry = audit_record(
        actor=supervisor,
        action="report.exported",
        target=agency,
        details={"rows": 12},
        ip="2001:db8::1",
    )
    # then
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.actor, stored.action, stored.target_type, stored.target_id) == (
        supervisor,
        "report.exported",
        "catalog.agency",
        str(agency.pk),
    )
    assert stored.details == {"rows": 12}
    assert stored.ip == "2001:db8::1"
    assert stored.at is not None


def test_a_target_that_is_not_a_row_is_named_by_type_and_id():
    # when
    entry = audit_record(
        actor=None, action="queue.exported", target=AuditTarget("queue", "DOT"), details={}, ip=None
    )
    # then
    assert (entry.actor, entry.target_type, entry.target_id, entry.ip) == (
        None,
        "queue",
        "DOT",
        None,
    )


def test_an_entry_is_never_changed_or_deleted():
    # given
    entry = audit_record(actor=None, action="role.granted", target=None, details={}, ip=None)
    # when / then
    entry.action = "role.revoked"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action="role.revoked")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "role.granted"


def test_the_admin_shows_the_audit_log_read_only(admin_client):
    # given
    entry = audit_record(actor=None, action="role.granted", target=None, details={}, ip=None)
    # when
    listing = admin_client.get("/admin/accounts/auditentry/")
    page = admin_client.get(f"/admin/accounts/auditentry/{entry.pk}/change/")
    edit = admin_client.post(f"/admin/accounts/auditentry/{entry.pk}/change/", {"action": "x"})
    delete = admin_client.post(f"/admin/accounts/auditentry/{entry.pk}/delete/", {"post": "yes"})
    add = admin_client.get("/admin/accounts/auditentry/add/")
    # then
    assert listing.status_code == 200
    assert "role.granted" in listing.text
    assert page.status_code == 200
    assert edit.status_code == 403
    assert delete.status_code == 403
    assert add.status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).action == "role.granted"
