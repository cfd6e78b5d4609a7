import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from cityline.accounts.models import AuditEntry, RoleGrant
from cityline.accounts.roles import Role
from cityline.accounts.selectors import staff_with_role, user_roles
from cityline.accounts.services import RoleScopeMismatch, role_grant, role_revoke
from cityline.accounts.tests.factories import UserFactory
from cityline.catalog.tests.factories import AgencyFactory
from cityline.geo.tests.factories import BoundaryAreaFactory

pytestmark = pytest.mark.django_db


def test_an_agency_role_is_held_for_its_agency_only():
    # given
    dot, parks = AgencyFactory(code="DOT"), AgencyFactory(code="PARKS")
    worker = UserFactory()
    # when
    role_grant(user=worker, role=Role.AGENCY_WORKER, agency=dot, by=None)
    # then
    roles = user_roles(user=worker)
    assert roles.has(Role.AGENCY_WORKER)
    assert roles.has(Role.AGENCY_WORKER, agency_id=dot.pk)
    assert not roles.has(Role.AGENCY_WORKER, agency_id=parks.pk)
    assert not roles.has(Role.AGENCY_SUPERVISOR)
    assert roles.agency_ids(Role.AGENCY_WORKER) == {dot.pk}


def test_a_partner_role_is_held_for_its_areas():
    # given
    district_1, district_2 = BoundaryAreaFactory(), BoundaryAreaFactory()
    liaison = UserFactory()
    # when
    role_grant(user=liaison, role=Role.PARTNER, area=district_1, by=None)
    role_grant(user=liaison, role=Role.PARTNER, area=district_2, by=None)
    # then
    roles = user_roles(user=liaison)
    assert roles.has(Role.PARTNER)
    assert roles.area_ids(Role.PARTNER) == {district_1.pk, district_2.pk}
    assert roles.agency_ids(Role.PARTNER) == frozenset()


def test_a_person_may_hold_several_roles():
    # given
    dot = AgencyFactory()
    person = UserFactory()
    # when
    role_grant(user=person, role=Role.CALL_TAKER, by=None)
    role_grant(user=person, role=Role.KNOWLEDGE_EDITOR, agency=dot, by=None)
    # then
    roles = user_roles(user=person)
    assert roles.has(Role.CALL_TAKER)
    assert roles.has(Role.KNOWLEDGE_EDITOR, agency_id=dot.pk)
    assert roles.has_any(Role.AUDITOR, Role.CALL_TAKER)
    assert not roles.has_any(Role.AUDITOR, Role.ADMINISTRATOR)


def test_a_superuser_holds_every_role_everywhere():
    # given
    root = UserFactory(is_superuser=True)
    # when
    roles = user_roles(user=root)
    # then
    assert roles.everywhere
    assert all(roles.has(role, agency_id=12345) for role in Role)


@pytest.mark.parametrize(
    "who", ["anonymous", "inactive"], ids=["anonymous visitor", "switched-off account"]
)
def test_nobody_signed_out_or_switched_off_holds_a_role(who):
    # given
    user = UserFactory()
    role_grant(user=user, role=Role.ADMINISTRATOR, by=None)
    if who == "inactive":
        user.is_active = False
        user.save()
    else:
        user = AnonymousUser()
    # when
    roles = user_roles(user=user)
    # then
    assert not roles.has(Role.ADMINISTRATOR)


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.AGENCY_WORKER, None),
        (Role.AGENCY_SUPERVISOR, "area"),
        (Role.PARTNER, None),
        (Role.PARTNER, "agency"),
        (Role.AUDITOR, "agency"),
        (Role.SUPERVISOR_311, "area"),
    ],
)
def test_a_grant_must_name_the_scope_its_role_is_held_for(role, scope):
    # given
    user = UserFactory()
    agency = AgencyFactory() if scope == "agency" else None
    area = BoundaryAreaFactory() if scope == "area" else None
    # when
    with pytest.raises(RoleScopeMismatch):
        role_grant(user=user, role=role, agency=agency, area=area, by=None)
    # then
    assert not RoleGrant.objects.filter(user=user).exists()
    assert not AuditEntry.objects.exists()


def test_the_database_refuses_a_grant_outside_its_roles_scope():
    # given
    user = UserFactory()
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(user=user, role=Role.AGENCY_WORKER)


def test_granting_and_revoking_are_audited_with_who_and_where():
    # given
    admin = UserFactory(username="admin")
    worker = UserFactory(username="worker")
    dot = AgencyFactory(code="DOT")
    # when
    grant = role_grant(user=worker, role=Role.AGENCY_WORKER, agency=dot, by=admin, ip="192.0.2.7")
    revoked = role_revoke(user=worker, role=Role.AGENCY_WORKER, agency=dot, by=admin)
    # then
    assert grant.granted_by == admin
    assert revoked is True
    entries = list(AuditEntry.objects.order_by("id"))
    assert [(e.action, e.actor, e.target_type, e.target_id) for e in entries] == [
        ("role.granted", admin, "accounts.user", str(worker.pk)),
        ("role.revoked", admin, "accounts.user", str(worker.pk)),
    ]
    assert entries[0].details == {"role": "agency_worker", "agency": "DOT"}
    assert entries[0].ip == "192.0.2.7"
    assert not user_roles(user=worker).has(Role.AGENCY_WORKER)


def test_granting_a_role_already_held_changes_and_records_nothing():
    # given
    worker = UserFactory()
    dot = AgencyFactory()
    first = role_grant(user=worker, role=Role.AGENCY_WORKER, agency=dot, by=None)
    # when
    again = role_grant(user=worker, role=Role.AGENCY_WORKER, agency=dot, by=None)
    # then
    assert again == first
    assert RoleGrant.objects.count() == 1
    assert AuditEntry.objects.count() == 1


def test_revoking_a_role_not_held_records_nothing():
    # given
    worker = UserFactory()
    # when
    revoked = role_revoke(user=worker, role=Role.AUDITOR, by=None)
    # then
    assert revoked is False
    assert not AuditEntry.objects.exists()


def test_staff_with_role_lists_active_holders_for_the_agency():
    # given
    dot, parks = AgencyFactory(), AgencyFactory()
    dot_worker, parks_worker, gone = UserFactory(), UserFactory(), UserFactory(is_active=False)
    for user, agency in [(dot_worker, dot), (parks_worker, parks), (gone, dot)]:
        role_grant(user=user, role=Role.AGENCY_WORKER, agency=agency, by=None)
    role_grant(user=UserFactory(), role=Role.AGENCY_SUPERVISOR, agency=dot, by=None)
    UserFactory(is_superuser=True)
    # when
    for_dot = staff_with_role(role=Role.AGENCY_WORKER, agency_id=dot.pk)
    anywhere = staff_with_role(role=Role.AGENCY_WORKER)
    # then
    assert list(for_dot) == [dot_worker]
    assert set(anywhere) == {dot_worker, parks_worker}
