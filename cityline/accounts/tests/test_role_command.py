from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cityline.accounts.models import AuditEntry
from cityline.accounts.roles import Role
from cityline.accounts.selectors import user_roles
from cityline.accounts.tests.factories import UserFactory
from cityline.catalog.tests.factories import AgencyFactory
from cityline.geo.tests.factories import BoundaryAreaFactory, BoundaryLayerFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("role", *args, stdout=out)
    return out.getvalue().splitlines()


def test_grant_list_and_revoke_an_agency_role():
    # given
    worker = UserFactory(username="dana")
    dot = AgencyFactory.create(code="DOT")
    # when
    granted = run("grant", "dana", "agency_worker", "--agency", "DOT")
    listed = run("list", "dana")
    revoked = run("revoke", "dana", "agency_worker", "--agency", "DOT")
    # then
    assert granted == ["Granted agency_worker to dana"]
    assert listed == ["agency_worker  DOT"]
    assert revoked == ["Revoked agency_worker from dana"]
    assert not user_roles(user=worker).has(Role.AGENCY_WORKER, agency_id=dot.pk)
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "actor"))
    assert actions == [("role.granted", None), ("role.revoked", None)]


def test_a_partner_is_granted_an_area_by_layer_and_code():
    # given
    liaison = UserFactory(username="lee")
    area = BoundaryAreaFactory.create(layer=BoundaryLayerFactory.create(slug="council"), code="7")
    # when
    run("grant", "lee", "partner", "--area", "council:7")
    # then
    assert user_roles(user=liaison).area_ids(Role.PARTNER) == {area.pk}
    assert run("list", "lee") == ["partner  council:7"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["grant", "nobody", "auditor"], "no user 'nobody'"),
        (["grant", "dana", "agency_worker", "--agency", "XYZ"], "no agency 'XYZ'"),
        (["grant", "dana", "partner", "--area", "council"], "--area is LAYER:CODE"),
        (["grant", "dana", "partner", "--area", "council:99"], "no area '99'"),
        (["grant", "dana", "agency_worker"], "held for one agency"),
        (["revoke", "dana", "auditor"], "does not hold auditor"),
    ],
)
def test_bad_input_is_a_clear_error_and_changes_nothing(args, message):
    # given
    UserFactory(username="dana")
    # when
    with pytest.raises(CommandError) as error:
        run(*args)
    # then
    assert message in str(error.value)
    assert not AuditEntry.objects.exists()
