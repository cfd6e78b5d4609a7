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


_PAGES: list[tuple[object, str, Callable[..., bool]]] = [
    (_("Work queue"), "console:queue", lambda user: bool(requests_access.queues_for(user=user))),
    (_("Desk"), "console:desk", lambda user: contacts_access.can_record_contacts(user=user)),
    (_("Answers"), "console:home", lambda user: knowledge_access.can_read_internal(user=user)),
    (_("Inspect"), "console:inspect", lambda user: requests_access.can_file_proactive(user=user)),
    (_("SLA notices"), "console:sla_notices", lambda user: sla_access.can_read_notices(user=user)),
    (
        _("Contact center"),
        "console:contact_figures",
        lambda user: contacts_access.can_read_figures(user=user),
    ),
    (
        _("Surveys"),
        "console:survey_settings",
        lambda user: surveys_access.can_manage_surveys(user=user),
    ),
    (
        _("Emergencies"),
        "console:emergencies",
        lambda user: emergencies_access.can_read_emergencies(user=user),
    ),
    (
        _("Broadcasts"),
        "console:broadcasts",
        lambda user: emergencies_access.can_read_emergencies(user=user),
    ),
    (_("Work orders"), "integrations:backlog", may_manage_integrations),
    (
        _("Performance"),
        "console:performance",
        lambda user: analytics_access.can_read_performance(user=user),
    ),
    (
        _("Forecast and staffing"),
        "console:forecast",
        lambda user: analytics_access.can_plan_staffing(user=user),
    ),
    (
        _("Spikes in intake"),
        "console:spikes",
        lambda user: analytics_access.can_watch_spikes(user=user),
    ),
    (
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
    for label, name, may in _PAGES:
        if may(user):
            url = reverse(name)
            # The home page is every console page's prefix: it is current only on itself.
            current = (
                request.path == url if name == "console:home" else request.path.startswith(url)
            )
            items.append(MenuItem(str(label), url, current))
    return items


def console_navigation(request: HttpRequest) -> dict[str, object]:
    """A context processor: the menu, worked out only when a page shows it."""
    return {"console_menu": SimpleLazyObject(lambda: console_menu(request))}
