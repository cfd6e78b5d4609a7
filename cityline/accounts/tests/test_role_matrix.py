"""The role matrix: every staff and API page, for every role, inside and outside its scope, at the
HTTP level. Every URL under /console/, /api/, /channels/ and the admin's request pages needs a row
here; a new view without one fails `test_every_page_has_a_row`.

Scope: the Department of Transportation (DOT) and council district 1 are inside the scoped roles'
scope; the Parks Department and district 2 are outside. A row's `inside` URL names DOT's (or
district 1's) object, its `outside` URL the Parks Department's (district 2's); a page that names
no object has an `inside` URL only.
"""

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.urls import URLPattern, URLResolver, get_resolver

from cityline.accounts.models import User
from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import UserFactory, user_with_role
from cityline.analytics.tests.factories import SpikeFactory
from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory
from cityline.channels.inbound import IncomingEmail
from cityline.channels.services.email import email_receive
from cityline.contacts.models import Contact, ContactChannel
from cityline.contacts.services import contact_start
from cityline.emergencies.tests.factories import make_emergency
from cityline.geo.tests.factories import BoundaryAreaFactory, BoundaryLayerFactory, square
from cityline.knowledge.models import KnowledgeArticle
from cityline.knowledge.tests.factories import make_article
from cityline.servicerequests.models import ServiceRequest
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db

# What a page answers, as a person would see it.
OK = "ok"  # 2xx
DONE = "done"  # a redirect after a change was made, or to the page that shows the object
INVALID = "invalid"  # 400: allowed, but the input was refused
LOGIN = "login"  # sent to sign in
FORBIDDEN = "forbidden"  # 403
ABSENT = "absent"  # 404, or the admin's "no such object" redirect
NOT_ALLOWED = "method"  # 405

PERSONAS = [
    "anonymous",
    "no_role",
    "call_taker",
    "dot_worker",
    "dot_supervisor",
    "dot_editor",
    "supervisor_311",
    "partner",
    "auditor",
    "administrator",
]


@dataclass
class World:
    dot_article: KnowledgeArticle
    parks_article: KnowledgeArticle
    dot_request: ServiceRequest
    parks_request: ServiceRequest
    people: dict[str, User | None]
    call_takers_contact: Contact


@pytest.fixture
def world() -> World:
    dot, parks = AgencyFactory.create(code="DOT"), AgencyFactory.create(code="PARKS")
    council = BoundaryLayerFactory.create(slug="council")
    district_1 = BoundaryAreaFactory.create(
        layer=council, code="1", geometry=square(west=-87.7, south=41.8, size=0.1)
    )
    BoundaryAreaFactory.create(
        layer=council, code="2", geometry=square(west=-87.5, south=41.8, size=0.1)
    )
    staff_permissions = Permission.objects.filter(
        Q(content_type__app_label="servicerequests", codename__startswith="view_")
        | Q(codename="change_servicerequest")
    )

    def staff(role: Role, **scope: Any) -> User:
        user = user_with_role(role, is_staff=True, **scope)
        user.user_permissions.add(*staff_permissions)
        return user

    people: dict[str, User | None] = {
        "anonymous": None,
        "no_role": UserFactory.create(username="resident"),
        "call_taker": staff(Role.CALL_TAKER),
        "dot_worker": staff(Role.AGENCY_WORKER, agency=dot),
        "dot_supervisor": staff(Role.AGENCY_SUPERVISOR, agency=dot),
        "dot_editor": staff(Role.KNOWLEDGE_EDITOR, agency=dot),
        "supervisor_311": staff(Role.SUPERVISOR_311),
        # Partners work outside city hall: they have no admin account.
        "partner": user_with_role(Role.PARTNER, area=district_1),
        "auditor": staff(Role.AUDITOR),
        "administrator": staff(Role.ADMINISTRATOR),
    }
    return World(
        dot_article=make_article(agency=dot, slug="dot-article", title="Pothole?"),
        parks_article=make_article(agency=parks, slug="parks-article", title="Tree?"),
        dot_request=make_request(
            service_type=ServiceTypeFactory.create(agency=dot), longitude=-87.65
        ),
        parks_request=make_request(
            service_type=ServiceTypeFactory.create(agency=parks), longitude=-87.45
        ),
        people=people,
        call_takers_contact=contact_start(channel=ContactChannel.PHONE, agent=people["call_taker"]),
    )


@pytest.fixture(autouse=True)
def empty_analytics_store(settings, tmp_path):
    settings.CITYLINE_ANALYTICS_DIR = tmp_path / "analytics"
    settings.CITYLINE_OPEN_DATA_DIR = tmp_path / "open-data"


UrlFor = Callable[[World], str]


@dataclass
class Row:
    method: str
    inside: UrlFor
    expect: Mapping[str, tuple[str, str | None]]
    outside: UrlFor | None = None
    data: dict[str, Any] = field(default_factory=dict)
    json: bool = False
    # A POST's data that names the world's objects: called with (world, inside).
    data_for: Callable[[World, bool], dict[str, Any]] | None = None


def everyone(outcome: str) -> dict[str, tuple[str, str | None]]:
    return {persona: (outcome, None) for persona in PERSONAS}


def _article(which: str, suffix: str = "") -> UrlFor:
    return lambda w: f"/console/articles/{getattr(w, which).slug}/{suffix}"


def _revision(which: str, suffix: str = "") -> UrlFor:
    def url(w: World) -> str:
        article = getattr(w, which)
        return f"/console/articles/{article.slug}/revisions/{article.revisions.first().pk}/{suffix}"

    return url


def _admin_request(which: str, suffix: str = "") -> UrlFor:
    return lambda w: f"/admin/servicerequests/servicerequest/{getattr(w, which).pk}/{suffix}"


# Knowledge pages follow knowledge.access: editors of an article's agency manage it; every city
# role but partners reads answers with their call scripts; signed-in people without a role and
# partners are refused.
READERS = {
    "anonymous": (LOGIN, LOGIN),
    "no_role": (FORBIDDEN, FORBIDDEN),
    "partner": (FORBIDDEN, FORBIDDEN),
    **{p: (OK, OK) for p in PERSONAS if p not in {"anonymous", "no_role", "partner"}},
}
EDITORS = {
    **{p: (ABSENT, ABSENT) for p in PERSONAS},
    "anonymous": (LOGIN, LOGIN),
    "dot_editor": (OK, ABSENT),
}
REPORTS = {
    **{p: (FORBIDDEN, None) for p in PERSONAS},
    "anonymous": (LOGIN, None),
    "dot_editor": (OK, None),
}


def _editors(inside: str) -> dict[str, tuple[str, str | None]]:
    return {**EDITORS, "dot_editor": (inside, ABSENT)}


# The admin's request pages follow servicerequests.access; partners and people without a role
# have no admin account.
ADMIN_NO_ACCOUNT = {
    "anonymous": (LOGIN, LOGIN),
    "no_role": (LOGIN, LOGIN),
    "partner": (LOGIN, LOGIN),
}
ADMIN_REQUEST_PAGE = {
    **ADMIN_NO_ACCOUNT,
    "call_taker": (OK, OK),
    "dot_worker": (OK, ABSENT),
    "dot_supervisor": (OK, ABSENT),
    "dot_editor": (ABSENT, ABSENT),
    "supervisor_311": (OK, OK),
    "auditor": (OK, OK),
    "administrator": (OK, OK),
}

# The desk: those who record contacts reach it; a contact is its agent's alone (the call-taker's
# here), others who record contacts are told it does not exist.
DESK = {
    **{p: (FORBIDDEN, None) for p in PERSONAS},
    "anonymous": (LOGIN, None),
    "call_taker": (OK, None),
    "supervisor_311": (OK, None),
    "partner": (OK, None),
    "administrator": (OK, None),
}


def _desk_contact(outcome: str) -> dict[str, tuple[str, str | None]]:
    others = {p: (ABSENT, None) for p, (seen, _) in DESK.items() if seen == OK}
    return {**DESK, **others, "call_taker": (outcome, None)}


def _contact(suffix: str = "") -> UrlFor:
    return lambda w: f"/console/desk/{w.call_takers_contact.pk}/{suffix}"


_CITY_WIDE = ("supervisor_311", "auditor", "administrator")

# The contact center's figures and the monthly reports.
SUPERVISORS_AND_AUDITORS = {
    **{p: (FORBIDDEN, None) for p in PERSONAS},
    "anonymous": (LOGIN, None),
    "supervisor_311": (OK, None),
    "auditor": (OK, None),
    "administrator": (OK, None),
}

# The survey settings: the share of residents asked, set by 311 supervisors (surveys.access).
SURVEY_MANAGERS = {
    **{p: (FORBIDDEN, None) for p in PERSONAS},
    "anonymous": (LOGIN, None),
    "supervisor_311": (OK, None),
    "administrator": (OK, None),
}

# The survey answers with their comments (surveys.access): the city-wide roles read every
# answer; DOT's supervisor DOT's, and is told the Parks Department's are not theirs to ask for.
SURVEY_ANSWER_READERS = {
    **{p: (FORBIDDEN, FORBIDDEN) for p in PERSONAS},
    "anonymous": (LOGIN, LOGIN),
    "dot_supervisor": (OK, INVALID),
    **{p: (OK, OK) for p in _CITY_WIDE},
}

# Spikes in intake: 311 supervisors and administrators read and acknowledge them.
SPIKE_WATCHERS = {
    **{p: (FORBIDDEN, None) for p in PERSONAS},
    "anonymous": (LOGIN, None),
    "supervisor_311": (OK, None),
    "administrator": (OK, None),
}

# The audit log: agency supervisors read their own staff's entries (accounts.access).
AUDIT_READERS = {**SUPERVISORS_AND_AUDITORS, "dot_supervisor": (OK, None)}

# Emergencies and broadcasts: 311 supervisors and administrators switch emergencies on and off
# and send broadcasts; auditors read both.
EMERGENCY_SWITCH = {
    **{p: (FORBIDDEN, None) for p in PERSONAS},
    "anonymous": (LOGIN, None),
    "supervisor_311": (INVALID, None),
    "administrator": (INVALID, None),
}


def _emergency(suffix: str = "") -> UrlFor:
    return lambda w: f"/console/emergencies/{make_emergency().pk}/{suffix}"


# The e-mail triage: residents' messages, for call-takers and 311 supervisors.
TRIAGE = {
    **{p: (FORBIDDEN, None) for p in PERSONAS},
    "anonymous": (LOGIN, None),
    "call_taker": (OK, None),
    "supervisor_311": (OK, None),
    "administrator": (OK, None),
}


# A POST without its fields: those who triage are told what is missing.
TRIAGE_REFUSED = {**TRIAGE, **{p: (INVALID, None) for p, (seen, _) in TRIAGE.items() if seen == OK}}


def _triage(suffix: str = "") -> UrlFor:
    def url(w: World) -> str:
        received = email_receive(
            incoming=IncomingEmail(
                message_id=f"<{uuid.uuid4()}@example.org>",
                sender="ana@example.org",
                sender_name="Ana",
                subject="A pothole",
                text="On Main St.",
            )
        )
        return f"/console/desk/triage/{received.email.pk}/{suffix}"

    return url


# Performance figures (analytics.access): the city-wide roles read every agency's, DOT's
# supervisor DOT's (the outside URL asks for the Parks Department's).
PERFORMANCE = {
    **{p: (FORBIDDEN, FORBIDDEN) for p in PERSONAS},
    "anonymous": (LOGIN, LOGIN),
    "dot_supervisor": (OK, FORBIDDEN),
    "supervisor_311": (OK, OK),
    "auditor": (OK, OK),
    "administrator": (OK, OK),
}

INSPECTORS = {
    **{p: (FORBIDDEN, None) for p in PERSONAS},
    "anonymous": (LOGIN, None),
    "dot_worker": (OK, None),
    "dot_supervisor": (OK, None),
    "supervisor_311": (OK, None),
    "administrator": (OK, None),
}


def _console_request(which: str, suffix: str = "") -> UrlFor:
    return lambda w: f"/console/requests/{getattr(w, which).tracking_number}/{suffix}"


# Who sees a request (servicerequests.access): the city-wide roles every one; DOT's staff DOT's;
# the partner those in district 1; knowledge editors and people without a role none.
REQUEST_PAGE = {
    "anonymous": (LOGIN, LOGIN),
    "no_role": (ABSENT, ABSENT),
    "call_taker": (OK, OK),
    "dot_worker": (OK, ABSENT),
    "dot_supervisor": (OK, ABSENT),
    "dot_editor": (ABSENT, ABSENT),
    "supervisor_311": (OK, OK),
    "partner": (OK, ABSENT),
    "auditor": (OK, OK),
    "administrator": (OK, OK),
}
# Actions that overrule a colleague or the router (reopen, move to another agency): agency
# supervisors in their agencies, 311 supervisors and administrators everywhere.
SUPERVISORS_ONLY = {
    "call_taker": (FORBIDDEN, FORBIDDEN),
    "dot_worker": (FORBIDDEN, ABSENT),
    "partner": (FORBIDDEN, ABSENT),
    "auditor": (FORBIDDEN, FORBIDDEN),
}
# What the request's staff do (acknowledge, assign, hold, close…): DOT's workers and supervisors
# to DOT's requests, 311 supervisors and administrators to all; call-takers, partners and
# auditors see the request and are refused.
AGENCY_WORK = {
    **REQUEST_PAGE,
    "call_taker": (FORBIDDEN, FORBIDDEN),
    "dot_worker": (DONE, ABSENT),
    "dot_supervisor": (DONE, ABSENT),
    "supervisor_311": (DONE, DONE),
    "partner": (FORBIDDEN, ABSENT),
    "auditor": (FORBIDDEN, FORBIDDEN),
    "administrator": (DONE, DONE),
}
# Public notes: also call-takers, and partners in their areas.
PUBLIC_NOTES = {**AGENCY_WORK, "call_taker": (DONE, DONE), "partner": (DONE, ABSENT)}
REOPEN_OPEN = {
    "dot_supervisor": (INVALID, ABSENT),
    "supervisor_311": (INVALID, INVALID),
    "administrator": (INVALID, INVALID),
}
NOT_THE_REQUESTER = {
    "call_taker": (FORBIDDEN, FORBIDDEN),
    "partner": (FORBIDDEN, ABSENT),
    "auditor": (FORBIDDEN, FORBIDDEN),
}


def _data(**data: str) -> Callable[[World, bool], dict[str, Any]]:
    return lambda w, inside: data


def _reassign(w: World, inside: bool) -> dict[str, Any]:
    return {"agency": "PARKS" if inside else "DOT", "reason": "A tree is a tree."}


def _merge_into_another(w: World, inside: bool) -> dict[str, Any]:
    """Another request of the same agency, which the duplicate is merged into."""
    request = w.dot_request if inside else w.parks_request
    return {"parent": make_request(service_type=request.service_type).tracking_number}


QUEUES = {
    "anonymous": (LOGIN, LOGIN),
    "no_role": (FORBIDDEN, FORBIDDEN),
    "call_taker": (FORBIDDEN, FORBIDDEN),
    "dot_worker": (OK, ABSENT),
    "dot_supervisor": (OK, ABSENT),
    "dot_editor": (FORBIDDEN, FORBIDDEN),
    "supervisor_311": (OK, OK),
    "partner": (OK, ABSENT),
    "auditor": (OK, OK),
    "administrator": (OK, OK),
}

MATRIX: dict[str, Row] = {
    "console/": Row("get", lambda w: "/console/", {k: (v[0], None) for k, v in READERS.items()}),
    "console/login/": Row("get", lambda w: "/console/login/", everyone(OK)),
    # Signing out leads to the sign-in page.
    "console/logout/": Row("post", lambda w: "/console/logout/", everyone(LOGIN)),
    "console/articles/new/": Row(
        "get",
        lambda w: "/console/articles/new/",
        {
            **{p: (FORBIDDEN, None) for p in PERSONAS},
            "anonymous": (LOGIN, None),
            "dot_editor": (OK, None),
        },
    ),
    "console/articles/<slug:slug>/": Row(
        "get", _article("dot_article"), READERS, outside=_article("parks_article")
    ),
    "console/articles/<slug:slug>/manage/": Row(
        "get", _article("dot_article", "manage/"), EDITORS, _article("parks_article", "manage/")
    ),
    "console/articles/<slug:slug>/details/": Row(
        "get", _article("dot_article", "details/"), EDITORS, _article("parks_article", "details/")
    ),
    "console/articles/<slug:slug>/expire/": Row(
        "post",
        _article("dot_article", "expire/"),
        _editors(DONE),
        _article("parks_article", "expire/"),
    ),
    "console/articles/<slug:slug>/draft/": Row(
        "get", _article("dot_article", "draft/"), EDITORS, _article("parks_article", "draft/")
    ),
    "console/articles/<slug:slug>/compare/": Row(
        "get",
        _article("dot_article", "compare/"),
        _editors(INVALID),  # it asks which two revisions to compare
        _article("parks_article", "compare/"),
    ),
    "console/articles/<slug:slug>/revisions/<int:revision_id>/": Row(
        "get", _revision("dot_article"), EDITORS, _revision("parks_article")
    ),
    "console/articles/<slug:slug>/revisions/<int:revision_id>/<str:action>/": Row(
        "post",
        _revision("dot_article", "submit/"),
        _editors(INVALID),  # a published revision is not submitted again
        _revision("parks_article", "submit/"),
    ),
    "console/reports/unanswered/": Row("get", lambda w: "/console/reports/unanswered/", REPORTS),
    "console/reports/unreviewed/": Row("get", lambda w: "/console/reports/unreviewed/", REPORTS),
    "console/reports/helpful/": Row("get", lambda w: "/console/reports/helpful/", REPORTS),
    "console/audit/": Row("get", lambda w: "/console/audit/", AUDIT_READERS),
    "console/desk/": Row("get", lambda w: "/console/desk/", DESK),
    # Nothing chosen: the form asks for the channel again.
    "console/desk/start/": Row(
        "post",
        lambda w: "/console/desk/start/",
        {**DESK, **{p: (INVALID, None) for p, (seen, _) in DESK.items() if seen == OK}},
    ),
    "console/desk/<int:contact_id>/": Row("get", _contact(), _desk_contact(OK)),
    "console/desk/<int:contact_id>/answers/<slug:slug>/": Row(
        "post",
        lambda w: f"/console/desk/{w.call_takers_contact.pk}/answers/{w.dot_article.slug}/",
        _desk_contact(DONE),
    ),
    "console/desk/<int:contact_id>/status/": Row(
        "post", _contact("status/"), _desk_contact(DONE), data={"tracking_number": "none"}
    ),
    # Nothing chosen: the form asks what the contact was.
    "console/desk/<int:contact_id>/wrap-up/": Row(
        "post", _contact("wrap-up/"), _desk_contact(INVALID)
    ),
    "console/desk/<int:contact_id>/file/": Row("get", _contact("file/"), _desk_contact(OK)),
    # Nothing sent: the form asks for the service type again.
    "console/desk/<int:contact_id>/file/submit/": Row(
        "post", _contact("file/submit/"), _desk_contact(INVALID)
    ),
    # No type and no place: asked for them.
    "console/desk/<int:contact_id>/file/nearby/": Row(
        "get", _contact("file/nearby/"), _desk_contact(INVALID)
    ),
    "console/desk/<int:contact_id>/file/addresses/": Row(
        "get", _contact("file/addresses/?address=1"), _desk_contact(OK)
    ),
    "console/desk/<int:contact_id>/follow/<str:tracking_number>/": Row(
        "post",
        lambda w: (
            f"/console/desk/{w.call_takers_contact.pk}/follow/{w.dot_request.tracking_number}/"
        ),
        _desk_contact(OK),
    ),
    "console/desk/triage/": Row("get", lambda w: "/console/desk/triage/", TRIAGE),
    "console/desk/triage/<int:email_id>/": Row("get", _triage(), TRIAGE),
    "console/desk/triage/<int:email_id>/file/": Row("post", _triage("file/"), TRIAGE_REFUSED),
    "console/desk/triage/<int:email_id>/close/": Row("post", _triage("close/"), TRIAGE_REFUSED),
    # The channels' webhooks answer providers by their signature, never by a person's role.
    "channels/email/": Row("post", lambda w: "/channels/email/", everyone(FORBIDDEN)),
    "channels/sms/": Row("post", lambda w: "/channels/sms/", everyone(FORBIDDEN)),
    "console/emergencies/": Row("get", lambda w: "/console/emergencies/", SUPERVISORS_AND_AUDITORS),
    "console/emergencies/on/": Row("post", lambda w: "/console/emergencies/on/", EMERGENCY_SWITCH),
    "console/emergencies/<int:emergency_id>/": Row("get", _emergency(), SUPERVISORS_AND_AUDITORS),
    "console/emergencies/<int:emergency_id>/off/": Row(
        "post",
        _emergency("off/"),
        {**EMERGENCY_SWITCH, "supervisor_311": (DONE, None), "administrator": (DONE, None)},
    ),
    "console/broadcasts/": Row("get", lambda w: "/console/broadcasts/", SUPERVISORS_AND_AUDITORS),
    "console/broadcasts/new/": Row("post", lambda w: "/console/broadcasts/new/", EMERGENCY_SWITCH),
    "console/contacts/figures/": Row(
        "get", lambda w: "/console/contacts/figures/", SUPERVISORS_AND_AUDITORS
    ),
    "console/contacts/figures.csv": Row(
        "get", lambda w: "/console/contacts/figures.csv", SUPERVISORS_AND_AUDITORS
    ),
    "console/forecast/": Row("get", lambda w: "/console/forecast/", SUPERVISORS_AND_AUDITORS),
    "console/forecast/staffing.csv": Row(
        "get", lambda w: "/console/forecast/staffing.csv", SUPERVISORS_AND_AUDITORS
    ),
    "console/surveys/": Row("get", lambda w: "/console/surveys/", SURVEY_MANAGERS),
    "console/survey-answers/": Row(
        "get",
        lambda w: "/console/survey-answers/",
        SURVEY_ANSWER_READERS,
        lambda w: "/console/survey-answers/?agency=PARKS",
    ),
    "console/survey-answers.csv": Row(
        "get",
        lambda w: "/console/survey-answers.csv",
        SURVEY_ANSWER_READERS,
        lambda w: "/console/survey-answers.csv?agency=PARKS",
    ),
    "console/spikes/": Row("get", lambda w: "/console/spikes/", SPIKE_WATCHERS),
    "console/spikes/<int:spike_id>/acknowledge/": Row(
        "post",
        lambda w: f"/console/spikes/{SpikeFactory.create().pk}/acknowledge/",
        {**SPIKE_WATCHERS, "supervisor_311": (DONE, None), "administrator": (DONE, None)},
    ),
    # Open data is public: the page for everyone; a file only once an export names it (none
    # is written here), and never a name the export does not hold.
    "open-data/": Row("get", lambda w: "/open-data/", everyone(OK)),
    "open-data/<str:name>": Row(
        "get", lambda w: "/open-data/cityline-requests-v1.csv", everyone(ABSENT)
    ),
    "console/performance/": Row(
        "get",
        lambda w: "/console/performance/",
        PERFORMANCE,
        lambda w: "/console/performance/?agency=PARKS",
    ),
    "console/performance/requests/": Row(
        "get",
        lambda w: "/console/performance/requests/?month=2026-03&agency=DOT",
        PERFORMANCE,
        lambda w: "/console/performance/requests/?month=2026-03&agency=PARKS",
    ),
    "console/performance/report/": Row(
        "get",
        lambda w: "/console/performance/report/?month=2026-03&format=csv",
        SUPERVISORS_AND_AUDITORS,
    ),
    # No report was written in the test's empty store: those who may read them find none.
    "console/performance/reports/<str:name>": Row(
        "get",
        lambda w: "/console/performance/reports/charter-monthly-2026-03.csv",
        {**SUPERVISORS_AND_AUDITORS, **{p: (ABSENT, None) for p in _CITY_WIDE}},
    ),
    "console/performance/statpack/": Row(
        "get",
        lambda w: "/console/performance/statpack/?month=2026-03&agency=DOT",
        PERFORMANCE,
        lambda w: "/console/performance/statpack/?month=2026-03&agency=PARKS",
    ),
    # No Stat pack was written in the test's empty store: those who may read DOT's find none.
    "console/performance/statpacks/<str:name>": Row(
        "get",
        lambda w: "/console/performance/statpacks/statpack-DOT-2026-03.pdf",
        {
            **PERFORMANCE,
            **{p: (ABSENT, FORBIDDEN) for p, (seen, _) in PERFORMANCE.items() if seen == OK},
            **{p: (ABSENT, ABSENT) for p in _CITY_WIDE},
        },
        lambda w: "/console/performance/statpacks/statpack-PARKS-2026-03.pdf",
    ),
    "console/audit/export.csv": Row("get", lambda w: "/console/audit/export.csv", AUDIT_READERS),
    # Work queues follow servicerequests.access: agency staff open their agency's, 311
    # supervisors, auditors and administrators any agency's, partners their areas'. Without a
    # queue named, one's only queue opens (a choice for those with several).
    "console/queue/": Row(
        "get", lambda w: "/console/queue/", QUEUES, outside=lambda w: "/console/queue/?queue=PARKS"
    ),
    "console/queue/export.csv": Row(
        "get",
        lambda w: "/console/queue/export.csv?queue=DOT",
        {**QUEUES, "partner": (ABSENT, ABSENT)},
        outside=lambda w: "/console/queue/export.csv?queue=PARKS",
    ),
    # Anyone signed in may set up an authenticator; without one, giving a code leads to setting
    # one up.
    "console/2fa/setup/": Row(
        "get", lambda w: "/console/2fa/setup/", {**everyone(OK), "anonymous": (LOGIN, None)}
    ),
    "console/2fa/verify/": Row(
        "get", lambda w: "/console/2fa/verify/", {**everyone(DONE), "anonymous": (LOGIN, None)}
    ),
    # Agencies' work orders: administrators and 311 supervisors (no event 0 to replay).
    "console/integrations/": Row(
        "get",
        lambda w: "/console/integrations/",
        {
            **{p: (FORBIDDEN, None) for p in PERSONAS},
            "anonymous": (LOGIN, None),
            "supervisor_311": (OK, None),
            "administrator": (OK, None),
        },
    ),
    "console/integrations/events/<int:event_id>/replay/": Row(
        "post",
        lambda w: "/console/integrations/events/0/replay/",
        {
            **{p: (FORBIDDEN, None) for p in PERSONAS},
            "anonymous": (LOGIN, None),
            "supervisor_311": (ABSENT, None),
            "administrator": (ABSENT, None),
        },
    ),
    # The inspector's page: agency staff (their agencies' types), 311 supervisors and
    # administrators file proactive requests; the confirmation shows what they may see.
    "console/inspect/": Row("get", lambda w: "/console/inspect/", INSPECTORS),
    "console/inspect/filed/<str:tracking_number>/": Row(
        "get",
        lambda w: f"/console/inspect/filed/{w.dot_request.tracking_number}/",
        {
            **{p: (FORBIDDEN, FORBIDDEN) for p in PERSONAS},
            "anonymous": (LOGIN, LOGIN),
            "dot_worker": (OK, ABSENT),
            "dot_supervisor": (OK, ABSENT),
            "supervisor_311": (OK, OK),
            "administrator": (OK, OK),
        },
        lambda w: f"/console/inspect/filed/{w.parks_request.tracking_number}/",
    ),
    # SLA notices: every member of staff reads their own; nobody else's (no notice 0 to mark).
    "console/sla/": Row(
        "get",
        lambda w: "/console/sla/",
        {
            **everyone(OK),
            "anonymous": (LOGIN, None),
            "no_role": (FORBIDDEN, None),
            "partner": (FORBIDDEN, None),
        },
    ),
    "console/sla/<int:notice_id>/read/": Row(
        "post",
        lambda w: "/console/sla/0/read/",
        {
            **everyone(ABSENT),
            "anonymous": (LOGIN, None),
            "no_role": (FORBIDDEN, None),
            "partner": (FORBIDDEN, None),
        },
    ),
    # A request's page in the console: whoever sees the request (servicerequests.access).
    "console/requests/<str:tracking_number>/": Row(
        "get", _console_request("dot_request"), REQUEST_PAGE, _console_request("parks_request")
    ),
    # The requester's contact details: agency staff of an open request, 311 supervisors,
    # administrators; the others who see the request are refused.
    "console/requests/<str:tracking_number>/requester/": Row(
        "post",
        _console_request("dot_request", "requester/"),
        {**REQUEST_PAGE, **NOT_THE_REQUESTER},
        _console_request("parks_request", "requester/"),
    ),
    # Actions on a request (servicerequests.access.can_act): each done, or refused as the matrix
    # of who-does-what says.
    **{
        f"console/requests/<str:tracking_number>/{action}/": Row(
            "post",
            _console_request("dot_request", f"{action}/"),
            expect,
            _console_request("parks_request", f"{action}/"),
            data_for=data_for,
        )
        for action, expect, data_for in [
            ("acknowledge", AGENCY_WORK, None),
            ("start", AGENCY_WORK, None),
            ("assign", AGENCY_WORK, None),  # to nobody: takes it back
            (
                "hold",
                AGENCY_WORK,
                _data(status="waiting_on_third_party", note="ComEd's pole.", visibility="public"),
            ),
            ("note", PUBLIC_NOTES, _data(note="The caller rang again.", visibility="public")),
            ("merge", AGENCY_WORK, _merge_into_another),
            ("reassign", {**AGENCY_WORK, **SUPERVISORS_ONLY}, _reassign),
            ("close", AGENCY_WORK, _data(resolution="completed", public_note="Filled.")),
            # An open request cannot be reopened: allowed people are told so.
            ("reopen", {**AGENCY_WORK, **SUPERVISORS_ONLY, **REOPEN_OPEN}, None),
        ]
    },
    # Moving the selected requests to the other agency: per request, as `can_act` says.
    "console/requests/bulk/": Row(
        "post",
        lambda w: "/console/requests/bulk/",
        {**REQUEST_PAGE, **SUPERVISORS_ONLY},
        outside=lambda w: "/console/requests/bulk/",
        data_for=lambda w, inside: {
            "requests": [(w.dot_request if inside else w.parks_request).tracking_number],
            "action": "reassign",
            **_reassign(w, inside),
        },
    ),
    # An agency's system reports with its status key; no signed-in person reaches it.
    "api/agency/v1/requests/<tracking_number>/events": Row(
        "post",
        lambda w: f"/api/agency/v1/requests/{w.dot_request.tracking_number}/events",
        everyone("401"),
        data={"event_id": "e1", "occurred_at": "2026-12-05T10:00:00Z", "status": "acknowledged"},
        json=True,
    ),
    # The staff API takes a member of staff's key, never a signed-in session.
    "api/staff/v1/proactive": Row(
        "post",
        lambda w: "/api/staff/v1/proactive",
        everyone("401"),
        data={
            "source": "sweep",
            "rows": [{"service_code": "pothole", "lat": 41.85, "long": -87.65}],
        },
        json=True,
    ),
    # The native API's public endpoints: anyone, signed in or not.
    # The API's root names no operation.
    "api/": Row("get", lambda w: "/api/", everyone(ABSENT)),
    "api/openapi.json": Row("get", lambda w: "/api/openapi.json", everyone(OK)),
    "api/docs": Row("get", lambda w: "/api/docs", everyone(OK)),
    "api/knowledge/articles": Row("get", lambda w: "/api/knowledge/articles", everyone(OK)),
    "api/knowledge/articles/<slug>": Row(
        "get", lambda w: f"/api/knowledge/articles/{w.dot_article.slug}", everyone(OK)
    ),
    "api/knowledge/search": Row("get", lambda w: "/api/knowledge/search?q=pothole", everyone(OK)),
    "api/knowledge/articles/<slug>/feedback": Row(
        "post",
        lambda w: f"/api/knowledge/articles/{w.dot_article.slug}/feedback",
        everyone(OK),
        data={"helpful": True},
        json=True,
    ),
    "api/v1/suggestions": Row(
        "get", lambda w: "/api/v1/suggestions?q=hole%20in%20the%20road", everyone(OK)
    ),
    "api/v1/service-groups": Row("get", lambda w: "/api/v1/service-groups", everyone(OK)),
    # The admin's request pages.
    "admin/servicerequests/servicerequest/": Row(
        "get",
        lambda w: "/admin/servicerequests/servicerequest/",
        {k: (v[0], None) for k, v in {**ADMIN_REQUEST_PAGE, "dot_editor": (OK, OK)}.items()},
    ),
    "admin/servicerequests/servicerequest/add/": Row(
        "get",
        lambda w: "/admin/servicerequests/servicerequest/add/",
        {
            **{p: (FORBIDDEN, None) for p in PERSONAS},
            **{k: (LOGIN, None) for k in ADMIN_NO_ACCOUNT},
        },
    ),
    "admin/servicerequests/servicerequest/<path:object_id>/change/": Row(
        "get",
        _admin_request("dot_request", "change/"),
        ADMIN_REQUEST_PAGE,
        _admin_request("parks_request", "change/"),
    ),
    "admin/servicerequests/servicerequest/<path:object_id>/history/": Row(
        "get",
        _admin_request("dot_request", "history/"),
        ADMIN_REQUEST_PAGE,
        _admin_request("parks_request", "history/"),
    ),
    "admin/servicerequests/servicerequest/<path:object_id>/delete/": Row(
        "get",
        _admin_request("dot_request", "delete/"),
        # Nobody deletes a request, in scope or not.
        {**{p: (FORBIDDEN, FORBIDDEN) for p in PERSONAS}, **ADMIN_NO_ACCOUNT},
        _admin_request("parks_request", "delete/"),
    ),
    "admin/servicerequests/servicerequest/<path:object_id>/": Row(
        "get",
        _admin_request("dot_request"),
        # The admin's old address of a change page: it sends staff on, the rest to sign in.
        {**{p: (DONE, DONE) for p in PERSONAS}, **ADMIN_NO_ACCOUNT},
        _admin_request("parks_request"),
    ),
}


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> list[str]:
    routes: list[str] = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            routes += _routes(pattern.url_patterns, route)
        else:
            routes.append(route)
    return routes


def _guarded_routes() -> list[str]:
    return [
        route
        for route in _routes(get_resolver().url_patterns)
        if route.startswith(
            (
                "console/",
                "api/",
                "channels/",
                "admin/servicerequests/servicerequest/",
                "open-data/",
            )
        )
    ]


def test_every_page_has_a_row():
    # given
    routes = _guarded_routes()
    # when
    missing = [route for route in routes if route not in MATRIX]
    stale = [route for route in MATRIX if route not in routes]
    # then
    assert missing == [], f"pages without a row in the role matrix: {missing}"
    assert stale == [], f"rows for pages that no longer exist: {stale}"


def test_every_row_names_every_persona():
    # when
    incomplete = [route for route, row in MATRIX.items() if set(row.expect) != set(PERSONAS)]
    # then
    assert incomplete == []


def _outcome(response) -> str:
    code = response.status_code
    if code in (301, 302, 303):
        location = response["Location"]
        if "/login/" in location:
            return LOGIN
        return ABSENT if location.rstrip("/").endswith("/admin") else DONE
    if 200 <= code < 300:
        return OK
    return {400: INVALID, 403: FORBIDDEN, 404: ABSENT, 405: NOT_ALLOWED}.get(code, str(code))


def _call(client, row: Row, url: str, data: dict[str, Any]):
    if row.method == "get":
        return client.get(url)
    if row.json:
        return client.post(url, data, content_type="application/json")
    return client.post(url, data)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", list(MATRIX))
def test_each_role_gets_what_the_matrix_says(client, world, route, persona):
    # given
    row = MATRIX[route]
    user = world.people[persona]
    if user is not None:
        client.force_login(user)

    def data(inside: bool) -> dict[str, Any]:
        return row.data_for(world, inside) if row.data_for else row.data

    # when
    inside = _outcome(_call(client, row, row.inside(world), data(True)))
    outside = _outcome(_call(client, row, row.outside(world), data(False))) if row.outside else None
    # then
    assert (inside, outside) == row.expect[persona]
