"""The console's menu: the pages a person's roles open, asked of each app's access module."""

from collections.abc import Callable
from typing import NamedTuple

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from cityline.accounts import access as accounts_access
from cityline.analytics import access as analytics_access
from cityline.contacts import access as contacts_access
from cityline.emergencies import access as emergencies_access
from cityline.integrations.access import may_manage_integrations
from cityline.knowledge import access as knowledge_access
from cityline.servicerequests import access as requests_access
from cityline.sla import access as sla_access
from cityline.surveys import access as surveys_access


class MenuItem(NamedTuple):
    label: str
    url: str
    current: bool
    group: str


class MenuGroup(NamedTuple):
    label: str
    items: list[MenuItem]
    current: bool


_REQUESTS = _("Requests")
_CONTACT_CENTER = _("Contact center")
_PERFORMANCE = _("Performance")
_PUBLIC_MESSAGES = _("Public messages")
_ADMINISTRATION = _("Administration")

# (group, label, URL name, who may open it), a group's pages together, in the menu's order.
_PAGES: list[tuple[object, object, str, Callable[..., bool]]] = [
    (
        _REQUESTS,
        _("Work queue"),
        "console:queue",
        lambda user: bool(requests_access.queues_for(user=user)),
    ),
    (
        _REQUESTS,
        _("Inspect"),
        "console:inspect",
        lambda user: requests_access.can_file_proactive(user=user),
    ),
    (
        _REQUESTS,
        _("SLA notices"),
        "console:sla_notices",
        lambda user: sla_access.can_read_notices(user=user),
    ),
    (_REQUESTS, _("Work orders"), "integrations:backlog", may_manage_integrations),
    (
        _CONTACT_CENTER,
        _("Desk"),
        "console:desk",
        lambda user: contacts_access.can_record_contacts(user=user),
    ),
    (
        _CONTACT_CENTER,
        _("Answers"),
        "console:home",
        lambda user: knowledge_access.can_read_internal(user=user),
    ),
    (
        _PERFORMANCE,
        _("Performance"),
        "console:performance",
        lambda user: analytics_access.can_read_performance(user=user),
    ),
    (
        _PERFORMANCE,
        _("Contact center"),
        "console:contact_figures",
        lambda user: contacts_access.can_read_figures(user=user),
    ),
    (
        _PERFORMANCE,
        _("Survey answers"),
        "console:survey_answers",
        lambda user: surveys_access.can_read_answers(user=user),
    ),
    (
        _PERFORMANCE,
        _("Forecast and staffing"),
        "console:forecast",
        lambda user: analytics_access.can_plan_staffing(user=user),
    ),
    (
        _PERFORMANCE,
        _("Spikes in intake"),
        "console:spikes",
        lambda user: analytics_access.can_watch_spikes(user=user),
    ),
    (
        _PUBLIC_MESSAGES,
        _("Emergencies"),
        "console:emergencies",
        lambda user: emergencies_access.can_read_emergencies(user=user),
    ),
    (
        _PUBLIC_MESSAGES,
        _("Broadcasts"),
        "console:broadcasts",
        lambda user: emergencies_access.can_read_emergencies(user=user),
    ),
    (
        _PUBLIC_MESSAGES,
        _("Surveys"),
        "console:survey_settings",
        lambda user: surveys_access.can_manage_surveys(user=user),
    ),
    (
        _ADMINISTRATION,
        _("Audit log"),
        "console:audit_log",
        lambda user: accounts_access.can_read_audit_log(user=user),
    ),
]


def console_menu(request: HttpRequest) -> list[MenuItem]:
    user = request.user
    if not (user.is_authenticated and user.is_active):
        return []
    items = []
    for group, label, name, may in _PAGES:
        if may(user):
            url = reverse(name)
            # The home page is every console page's prefix: it is current only on itself.
            current = (
                request.path == url if name == "console:home" else request.path.startswith(url)
            )
            items.append(MenuItem(str(label), url, current, str(group)))
    return items


def console_menu_groups(request: HttpRequest) -> list[MenuGroup]:
    """The menu under its headings: the groups with a page the person may open, in order."""
    groups: list[MenuGroup] = []
    for item in console_menu(request):
        if not groups or groups[-1].label != item.group:
            groups.append(MenuGroup(item.group, [], False))
        groups[-1].items.append(item)
    return [group._replace(current=any(i.current for i in group.items)) for group in groups]


def console_navigation(request: HttpRequest) -> dict[str, object]:
    """A context processor: the menu, worked out only when a page shows it."""
    return {
        "console_menu": SimpleLazyObject(lambda: console_menu(request)),
        "console_menu_groups": SimpleLazyObject(lambda: console_menu_groups(request)),
    }
