"""The demo city's staff: someone in every role, all signing in with one demo password.

The password is generated on the first run and kept in a file only its owner reads (0600), as
`script/demo` keeps the administrator's; `cityline demo --staff-password-file PATH` prints every
login with it.
"""

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction

from cityline.accounts.models import User
from cityline.accounts.roles import Role
from cityline.accounts.services import crew_upsert, role_grant, staff_member_upsert
from cityline.catalog.selectors import agency_get_by_code
from cityline.channels.sms_words import sms_templates_add_missing
from cityline.demo.slastages import demo_sla_stages_create
from cityline.geo.selectors import boundary_area_get
from cityline.notifications.services import message_templates_add_missing

# The partner's area: a council district of the demo city.
PARTNER_LAYER, PARTNER_AREA = "council-districts", "1"


@dataclass(frozen=True)
class DemoStaffMember:
    username: str
    first_name: str
    last_name: str
    role: Role
    agency: str = ""  # an agency role's agency code

    @property
    def area(self) -> str:
        return f"{PARTNER_LAYER}:{PARTNER_AREA}" if self.role == Role.PARTNER else ""


DEMO_STAFF: tuple[DemoStaffMember, ...] = (
    DemoStaffMember("calltaker", "Carmen", "Ortiz", Role.CALL_TAKER),
    DemoStaffMember("dot-worker", "Dev", "Patel", Role.AGENCY_WORKER, "DOT"),
    DemoStaffMember("dot-supervisor", "Dana", "Kim", Role.AGENCY_SUPERVISOR, "DOT"),
    DemoStaffMember("dsan-worker", "Sam", "Okafor", Role.AGENCY_WORKER, "DSAN"),
    DemoStaffMember("dsan-supervisor", "Sofia", "Haddad", Role.AGENCY_SUPERVISOR, "DSAN"),
    DemoStaffMember("editor", "Eli", "Novak", Role.KNOWLEDGE_EDITOR, "DOT"),
    DemoStaffMember("supervisor", "Grace", "Liu", Role.SUPERVISOR_311),
    DemoStaffMember("partner", "Pat", "Reyes", Role.PARTNER),
    DemoStaffMember("auditor", "Ada", "Brown", Role.AUDITOR),
    DemoStaffMember("administrator", "Alex", "Morgan", Role.ADMINISTRATOR),
)


# Each agency with demo workers has a crew of them, so requests can be given to a crew.
DEMO_CREWS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("DOT", "Road repair crew 1", ("dot-worker",)),
    ("DSAN", "Collection crew 1", ("dsan-worker",)),
)


def demo_crews_upsert(*, people: dict[str, User]) -> None:
    for agency_code, name, usernames in DEMO_CREWS:
        agency = agency_get_by_code(code=agency_code)
        if agency is not None:
            crew_upsert(agency=agency, name=name, members=[people[u] for u in usernames])


@dataclass(frozen=True)
class DemoLogin:
    username: str
    name: str
    role: str
    scope: str


def demo_password(*, path: Path) -> str:
    """The demo staff's password, generated once and kept at `path`, readable by its owner only."""
    if path.exists() and path.read_text().strip():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(12)
    # Created 0600 before anything is written to it.
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_text(password + "\n")
    return password


def demo_staff_upsert(*, password: str) -> dict[str, User]:
    """Everyone of `DEMO_STAFF`, with their role and the demo password (hashed once), by username.
    Running it again changes nothing but the password."""
    password_hash = make_password(password)
    people: dict[str, User] = {}
    with transaction.atomic():
        for member in DEMO_STAFF:
            agency = agency_get_by_code(code=member.agency) if member.agency else None
            area = (
                boundary_area_get(layer_slug=PARTNER_LAYER, code=PARTNER_AREA)
                if member.role == Role.PARTNER
                else None
            )
            user = staff_member_upsert(
                username=member.username,
                email=f"{member.username}@staff.cityline.invalid",
                first_name=member.first_name,
                last_name=member.last_name,
                agency=agency,
                password_hash=password_hash,
            )
            role_grant(user=user, role=member.role, agency=agency, area=area, by=None)
            people[member.username] = user
    return people


def demo_logins() -> list[DemoLogin]:
    return [
        DemoLogin(
            username=m.username,
            name=f"{m.first_name} {m.last_name}",
            role=m.role.label,
            scope=m.agency or m.area,
        )
        for m in DEMO_STAFF
    ]


@dataclass(frozen=True)
class DemoStaffSummary:
    password: str
    logins: list[DemoLogin]
    requests_filed: int


def demo_staff_build(*, password_path: Path) -> DemoStaffSummary:
    """The staff in every role, and (the first time) their open requests at every SLA stage."""
    password = demo_password(path=password_path)
    people = demo_staff_upsert(password=password)
    demo_crews_upsert(people=people)
    # The requests below write to their subscribers: the words of those messages first.
    message_templates_add_missing()
    sms_templates_add_missing()
    filed = demo_sla_stages_create(people=people)
    return DemoStaffSummary(password=password, logins=demo_logins(), requests_filed=filed)
