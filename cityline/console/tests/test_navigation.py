import pytest
from django.test import RequestFactory

from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import UserFactory, user_with_role
from cityline.catalog.tests.factories import AgencyFactory
from cityline.console.navigation import console_menu, console_menu_groups
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
        (Role.CALL_TAKER, None, ["SLA notices", "Desk", "Answers"]),
        (
            Role.AGENCY_WORKER,
            "agency",
            ["Work queue", "Inspect", "SLA notices", "Answers"],
        ),
        (Role.PARTNER, "area", ["Work queue", "Desk"]),
        (
            Role.AGENCY_SUPERVISOR,
            "agency",
            [
                "Work queue",
                "Inspect",
                "SLA notices",
                "Answers",
                "Performance",
                "Survey answers",
                "Audit log",
            ],
        ),
        (
            Role.AUDITOR,
            None,
            [
                "Work queue",
                "SLA notices",
                "Answers",
                "Performance",
                "Contact center",
                "Survey answers",
                "Forecast and staffing",
                "Emergencies",
                "Broadcasts",
                "Audit log",
            ],
        ),
        (
            Role.SUPERVISOR_311,
            None,
            [
                "Work queue",
                "Inspect",
                "SLA notices",
                "Work orders",
                "Desk",
                "Answers",
                "Performance",
                "Contact center",
                "Survey answers",
                "Forecast and staffing",
                "Spikes in intake",
                "Emergencies",
                "Broadcasts",
                "Surveys",
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


def test_the_menu_is_grouped_and_the_current_pages_group_is_marked():
    # given
    AgencyFactory.create(code="DOT")
    supervisor = user_with_role(Role.SUPERVISOR_311, is_staff=True)
    call_taker = user_with_role(Role.CALL_TAKER, is_staff=True)
    request = RequestFactory().get("/console/performance/")
    request.user = supervisor
    # when
    groups = console_menu_groups(request)
    request.user = call_taker
    call_takers = console_menu_groups(request)
    # then
    assert [(group.label, len(group.items), group.current) for group in groups] == [
        ("Requests", 4, False),
        ("Contact center", 2, False),
        ("Performance", 5, True),
        ("Public messages", 3, False),
        ("Administration", 1, False),
    ]
    assert [(group.label, [item.label for item in group.items]) for group in call_takers] == [
        ("Requests", ["SLA notices"]),
        ("Contact center", ["Desk", "Answers"]),
    ]
