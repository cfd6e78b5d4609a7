import pytest

from cityline.accounts.models import AuditEntry, RoleGrant
from cityline.accounts.roles import Role
from cityline.accounts.services import role_grant
from cityline.accounts.tests.factories import UserFactory
from cityline.catalog.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

PREFIX = "role_grants"


def _user_form(user, *, grants, rows):
    """The user's change form as the admin posts it, with the role rows given."""
    data = {
        "username": user.username,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        f"{PREFIX}-TOTAL_FORMS": str(len(grants) + len(rows)),
        f"{PREFIX}-INITIAL_FORMS": str(len(grants)),
        f"{PREFIX}-MIN_NUM_FORMS": "0",
        f"{PREFIX}-MAX_NUM_FORMS": "1000",
    }
    for index, (grant, delete) in enumerate(grants):
        data[f"{PREFIX}-{index}-id"] = str(grant.pk)
        data[f"{PREFIX}-{index}-user"] = str(user.pk)
        if delete:
            data[f"{PREFIX}-{index}-DELETE"] = "on"
    for offset, row in enumerate(rows, start=len(grants)):
        data[f"{PREFIX}-{offset}-user"] = str(user.pk)
        for field, value in row.items():
            data[f"{PREFIX}-{offset}-{field}"] = value
    return data


def test_a_role_granted_in_the_admin_is_audited(admin_client, admin_user):
    # given
    worker = UserFactory(username="worker")
    dot = AgencyFactory.create(code="DOT")
    # when
    response = admin_client.post(
        f"/admin/accounts/user/{worker.pk}/change/",
        _user_form(worker, grants=[], rows=[{"role": Role.AGENCY_WORKER, "agency": dot.pk}]),
    )
    # then
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=worker)
    assert (grant.role, grant.agency, grant.granted_by) == (Role.AGENCY_WORKER, dot, admin_user)
    entry = AuditEntry.objects.get(action="role.granted")
    assert (entry.actor, entry.target_id) == (admin_user, str(worker.pk))


def test_a_role_removed_in_the_admin_is_revoked_and_audited(admin_client, admin_user):
    # given
    auditor = UserFactory(username="auditor")
    grant = role_grant(user=auditor, role=Role.AUDITOR, by=None)
    # when
    response = admin_client.post(
        f"/admin/accounts/user/{auditor.pk}/change/",
        _user_form(auditor, grants=[(grant, True)], rows=[]),
    )
    # then
    assert response.status_code == 302
    assert not RoleGrant.objects.filter(user=auditor).exists()
    entry = AuditEntry.objects.get(action="role.revoked")
    assert entry.actor == admin_user


def test_a_grant_without_the_scope_its_role_needs_is_a_form_error(admin_client):
    # given
    worker = UserFactory(username="worker")
    # when
    response = admin_client.post(
        f"/admin/accounts/user/{worker.pk}/change/",
        _user_form(worker, grants=[], rows=[{"role": Role.AGENCY_WORKER}]),
    )
    # then
    assert response.status_code == 200
    assert "errornote" in response.text
    assert not RoleGrant.objects.exists()
    assert not AuditEntry.objects.exists()
