"""The survey settings page: a 311 supervisor sets the shares asked; others may not; a share
outside 0 to 100 is refused naming the field and nothing changes."""

import pytest

from cityline.accounts.models import AuditEntry
from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.surveys.models import SurveySettings
from cityline.surveys.services import survey_settings_get

pytestmark = pytest.mark.django_db


def test_a_311_supervisor_sets_the_shares_asked(client):
    # given
    supervisor = user_with_role(Role.SUPERVISOR_311, username="sup")
    client.force_login(supervisor)
    # when
    response = client.post("/console/surveys/", {"contact_percent": "15", "service_percent": "40"})
    page = client.get("/console/surveys/")
    # then
    assert response.status_code == 302
    settings_row = survey_settings_get()
    assert (settings_row.contact_percent, settings_row.service_percent) == (15, 40)
    assert settings_row.updated_by == supervisor
    assert "15 % of contacts and 40 % of closed requests" in page.content.decode()
    assert AuditEntry.objects.filter(action="surveys.settings_changed").count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"contact_percent": "101", "service_percent": "10"}, "contact_percent"),
        ({"contact_percent": "10", "service_percent": "-1"}, "service_percent"),
        ({"contact_percent": "ten", "service_percent": "10"}, "contact_percent"),
        ({"service_percent": "10"}, "contact_percent"),
    ],
)
def test_a_share_outside_0_to_100_is_refused_naming_the_field(client, data, field):
    # given
    client.force_login(user_with_role(Role.SUPERVISOR_311, username="sup"))
    survey_settings_get()
    # when
    response = client.post("/console/surveys/", data)
    # then
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert SurveySettings.objects.get().contact_percent == 0


@pytest.mark.parametrize("role", [Role.CALL_TAKER, Role.AUDITOR])
def test_other_roles_may_not_change_the_shares(client, role):
    # given
    client.force_login(user_with_role(role, username="someone"))
    # when
    response = client.post("/console/surveys/", {"contact_percent": "50", "service_percent": "50"})
    # then
    assert response.status_code == 403
    assert survey_settings_get().contact_percent == 0
