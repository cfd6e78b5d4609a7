import pytest
from django.test import RequestFactory

from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import UserFactory, user_with_role
from cityline.catalog.tests.factories import AgencyFactory
from cityline.console.navigation import console_menu
from cityline.geo.tests.factories import BoundaryAreaFactory

pytestmark = pytest.mark.django_db


def _menu(user, path: str = "/console/") -> list[tuple[str, bool]]:
    request = RequestFactory().get(path)
    request.user = user
    return [(item.label, item.current) for item in console_menu(request)]


def _labels(user) -> list[str]:
    return [label for label, _ in _menu(user)]


@pytest.mark.parametrize(
    ("role", "scope", "expected"),
    [
        (Role.CALL_TAKER, None, ["Desk", "Answers", "SLA notices"]),
        (
            Role.AGENCY_WORKER,
            "agency",
            ["Work queue", "Answers", "Inspect", "SLA notices"],
        ),
        (Role.PARTNER, "area", ["Work queue", "Desk"]),
        (
            Role.AGENCY_SUPERVISOR,
            "agency",
            ["Work queue", "Answers", "Inspect", "SLA notices", "Performance", "Audit log"],
        ),
        (
            Role.AUDITOR,
            None,
            [
                "Work queue",
                "Answers",
                "SLA notices",
                "Contact center",
                "Emergencies",
                "Broadcasts",
                "Performance",
                "Forecast and staffing",
                "Audit log",
            ],
        ),
        (
            Role.SUPERVISOR_311,
            None,
            [
                "Work queue",
                "Desk",
                "Answers",
                "Inspect",
                "SLA notices",
                "Contact center",
                "Surveys",
                "Emergencies",
                "Broadcasts",
                "Work orders",
                "Performance",
                "Forecast and staffing",
                "Spikes in intake",
                "Audit log",
            ],
        ),
    ],
)
def test_the_menu_offers_the_pages_a_role_opens(role, scope, expected):
    # given
    AgencyFactory.create(code="DOT")
    scopes = {
        "agency": {"agency": AgencyFactory.create()},
        "area": {"area": BoundaryAreaFactory.create()},
    }
    user = user_with_role(role, is_staff=role != Role.PARTNER, **scopes.get(scope, {}))
    # when / then
    assert _labels(user) == expected


def test_someone_without_a_role_gets_no_menu_and_the_current_page_is_marked():
    # given
    nobody = UserFactory.create()
    worker = user_with_role(Role.AGENCY_WORKER, agency=AgencyFactory.create(), is_staff=True)
    # when
    menu = _menu(worker, path="/console/queue/?queue=DOT")
    # then
    assert _labels(nobody) == []
    assert [label for label, current in menu if current] == ["Work queue"]
    assert dict(_menu(worker, path="/console/"))["Answers"] is True
