"""The Stat pack from the performance page: made now for the agencies one reads, or as the worker
wrote it; audited; bad input refused by field."""

import io
import re
from datetime import UTC, datetime

import pypdf
import pytest
import time_machine

from cityline.accounts.models import AuditEntry
from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.analytics.services import analytics_refresh
from cityline.analytics.statpack import stat_packs_write
from cityline.analytics.tasks import analytics_refresh_task
from cityline.analytics.tests.conftest import AS_OF, LAYER, City, build_city
from cityline.catalog.models import Agency

pytestmark = pytest.mark.django_db

PACK = "/console/performance/statpack/"


@pytest.fixture
def city(settings, tmp_path) -> City:
    settings.CITYLINE_ANALYTICS_DIR = tmp_path / "analytics"
    settings.CITYLINE_DISTRICT_LAYER = LAYER
    built = build_city()
    with time_machine.travel(AS_OF, tick=False):
        analytics_refresh(full=True)
    return built


def _text(body: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(body)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


def test_an_agency_supervisor_gets_their_agencys_pack_and_the_download_is_audited(client, city):
    # given
    user = user_with_role(Role.AGENCY_SUPERVISOR, agency=Agency.objects.get(code="STR"))
    client.force_login(user)
    # when
    with time_machine.travel(AS_OF, tick=False):
        response = client.get(PACK, {"month": "2026-03"})
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="statpack-STR-2026-03.pdf"' in response["Content-Disposition"]
    text = _text(response.content)
    assert "REQUESTS RECEIVED 6" in text
    assert "CLOSED ON TIME 25 %" in text
    entry = AuditEntry.objects.get(action="analytics.stat_pack_downloaded")
    assert entry.actor == user and entry.details == {"agency": "STR", "month": "2026-03"}


def test_an_agency_supervisor_may_not_get_another_agencys_pack(client, city):
    # given
    client.force_login(
        user_with_role(Role.AGENCY_SUPERVISOR, agency=Agency.objects.get(code="STR"))
    )
    # when
    response = client.get(PACK, {"month": "2026-03", "agency": "DOT"})
    # then
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="analytics.stat_pack_downloaded").exists()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"month": "March", "agency": "DOT"}, "month"),
        ({"agency": "DOT"}, "month"),
        ({"month": "2026-03"}, "agency"),
        ({"month": "2026-03", "agency": "NOPE"}, "agency"),
    ],
)
def test_bad_input_is_refused_naming_the_field(client, city, query, field):
    # given
    client.force_login(user_with_role(Role.AUDITOR))
    # when
    response = client.get(PACK, query)
    # then
    assert response.status_code == 400
    assert response.content.decode().startswith(f"{field}:")


def test_the_worker_writes_last_months_packs_and_the_page_lists_ones_own(client, city):
    # given
    client.force_login(
        user_with_role(Role.AGENCY_SUPERVISOR, agency=Agency.objects.get(code="DOT"))
    )
    # when
    with time_machine.travel(datetime(2026, 4, 1, 12, 0, tzinfo=UTC), tick=False):
        analytics_refresh_task.call()
        page = client.get("/console/performance/")
    # then
    assert page.context["stat_packs"] == ["statpack-DOT-2026-03.pdf"]
    assert [a.code for a in page.context["stat_pack_agencies"]] == ["DOT"]
    stored = client.get("/console/performance/statpacks/statpack-DOT-2026-03.pdf")
    assert stored.status_code == 200
    assert "REQUESTS RECEIVED 1" in _text(stored.content)
    assert client.get("/console/performance/statpacks/statpack-STR-2026-03.pdf").status_code == 403


def test_a_stored_pack_is_served_by_its_name_only(client, city):
    # given
    stat_packs_write(month="2026-03", agency="DOT")
    client.force_login(user_with_role(Role.SUPERVISOR_311))
    # when
    response = client.get("/console/performance/statpacks/..%2F..%2Fsettings.py")
    # then
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("language", "heading", "direction"),
    [("es", "Informe Stat", "ltr"), ("ar", "ملف الأداء (Stat)", "rtl")],
)
def test_the_performance_page_and_its_stat_pack_form_speak_the_readers_language(
    client, city, language, heading, direction
):
    # given
    client.force_login(user_with_role(Role.SUPERVISOR_311))
    client.cookies["django_language"] = language
    # when
    page = client.get("/console/performance/", {"date_from": "2026-03-01", "layer": LAYER})
    # then
    content = page.content.decode()
    assert page.status_code == 200
    assert f'dir="{direction}"' in content
    assert heading in content
    assert "Stat pack" not in content and "Requests by period" not in content
