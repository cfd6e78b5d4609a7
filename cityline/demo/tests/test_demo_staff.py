"""`cityline demo --staff-password-file` gives the city staff in every role and open requests at
every stage of their SLA. The city is built once for the module, at a frozen moment."""

import io
import stat
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from cityline.accounts.models import Crew, RoleGrant
from cityline.accounts.roles import Role
from cityline.core.models import OutboxMessage
from cityline.core.outbox import outbox_sweep
from cityline.notifications.models import EmailDelivery, MessageEvent
from cityline.notifications.services import message_templates_add_missing
from cityline.servicerequests.models import Follower, ServiceRequest, Status

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=CHICAGO)


@pytest.fixture(scope="module")
def password_file(tmp_path_factory):
    return tmp_path_factory.mktemp("var") / "staff-password"


@pytest.fixture(scope="module", autouse=True)
def demo_output(django_db_setup, django_db_blocker, password_file):
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False):
        out = io.StringIO()
        call_command("demo", requests=0, staff_password_file=str(password_file), stdout=out)
    yield out.getvalue()
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        # What the migrations installed, for the modules that follow.
        message_templates_add_missing()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_every_role_has_a_demo_user_who_signs_in_with_the_printed_password(
    demo_output, password_file
):
    # given
    password = password_file.read_text().strip()
    # when
    grants = RoleGrant.objects.select_related("user", "agency")
    # then
    assert {g.role for g in grants} == set(Role.values)
    assert {g.agency.code for g in grants if g.role == Role.AGENCY_WORKER} == {"DOT", "DSAN"}
    assert {g.agency.code for g in grants if g.role == Role.AGENCY_SUPERVISOR} == {"DOT", "DSAN"}
    assert f"password for all: {password}" in demo_output
    people = {grant.user for grant in grants}
    assert all(person.username in demo_output for person in people)
    # one password, hashed once for everyone
    assert len({person.password for person in people}) == 1
    assert people.pop().check_password(password)


def test_the_password_file_is_readable_by_its_owner_only(password_file):
    # then
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600


def _stage(request: ServiceRequest) -> str:
    due = request.expected_at
    assert due is not None
    if request.closed_at is not None:
        return "closed late" if request.closed_at > due else "closed on time"
    if request.waiting_since is not None:
        return "waiting"
    if due < NOW:
        return "breached"
    used = (NOW - request.requested_at) / (due - request.requested_at)
    if used >= settings.CITYLINE_SLA_AT_RISK_SHARE:
        return "at risk"
    return str(request.status)


@pytest.mark.parametrize("agency", ["DOT", "DSAN"])
def test_each_agency_has_requests_at_every_stage_of_their_sla(agency):
    # when
    requests = ServiceRequest.objects.filter(
        agency__code=agency, created_by__username="calltaker", parent__isnull=True
    )
    stages = sorted(_stage(r) for r in requests)
    # then
    assert stages == sorted(
        [
            "new",
            "acknowledged",
            "in_progress",
            "at risk",
            "breached",
            "waiting",
            "closed on time",
            "closed late",
        ]
    )
    new = requests.get(status=Status.NEW)
    assert new.acknowledge_due_at > NOW
    late = next(r for r in requests if _stage(r) == "closed late")
    assert late.late_close_reason is not None


def test_some_requests_have_confirmed_followers_and_merged_duplicates():
    # then
    assert Follower.objects.filter(confirmed_at__isnull=False, stopped_at=None).count() >= 4
    merged = ServiceRequest.objects.filter(parent__isnull=False)
    assert merged.count() == 4
    assert all(r.parent.demand >= 2 for r in merged)


def test_the_subscribers_were_written_to_about_every_kind_of_change():
    # when: what the worker sent as the city was built
    outbox_sweep()
    # then
    assert not OutboxMessage.objects.filter(delivered_at=None).exists()
    parts = {
        part.partition(":")[0] for part in EmailDelivery.objects.values_list("part", flat=True)
    }
    # A request's subscribers hear of its changes; confirmations and an area's messages are
    # asked for by residents, which the demo does not.
    changes = {MessageEvent.ACKNOWLEDGED, MessageEvent.PUBLIC_UPDATE, MessageEvent.CLOSED}
    assert changes <= parts


def test_running_it_again_keeps_the_password_and_files_nothing_more(password_file):
    # given
    password = password_file.read_text()
    before = ServiceRequest.objects.count()
    # when
    out = io.StringIO()
    call_command(
        "demo", requests=0, if_empty=True, staff_password_file=str(password_file), stdout=out
    )
    # then
    assert password_file.read_text() == password
    assert ServiceRequest.objects.count() == before
    assert "calltaker" in out.getvalue()


def test_each_agency_with_demo_workers_has_a_crew_of_them():
    # when
    crews = {
        (crew.agency.code, crew.name): sorted(m.username for m in crew.members.all())
        for crew in Crew.objects.select_related("agency").prefetch_related("members")
    }
    # then
    assert crews == {
        ("DOT", "Road repair crew 1"): ["dot-worker"],
        ("DSAN", "Collection crew 1"): ["dsan-worker"],
    }
