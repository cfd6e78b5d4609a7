"""`cityline import calls`: a phone system's call-detail CSV, joined to what agents logged."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command

from cityline.accounts.roles import Role
from cityline.accounts.tests.factories import user_with_role
from cityline.contacts.models import Contact, ContactKind
from cityline.contacts.tests.factories import make_contact

pytestmark = pytest.mark.django_db

HEADER = "call_id,queue,offered,answered,abandoned,ended,agent\n"
# 09:00 in Chicago (the tests' city) on 2 March 2026: CST, six hours behind UTC.
NINE = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def _import(tmp_path, rows: str) -> tuple[str, str]:
    path = tmp_path / "calls.csv"
    path.write_text(HEADER + rows)
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "calls", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def agent():
    return user_with_role(Role.CALL_TAKER, username="agent7")


def test_an_answered_call_is_joined_to_the_contact_its_agent_logged(tmp_path, agent):
    # given: the agent started the contact 20 s after picking up and wrapped it up as information
    logged = make_contact(
        agent=agent, at=NINE + timedelta(seconds=50), kind=ContactKind.INFORMATION
    )
    # when
    out, err = _import(
        tmp_path, "C1,general,2026-03-02 09:00:00,2026-03-02 09:00:30,,2026-03-02 09:04:00,agent7\n"
    )
    # then: one contact, with the call's times and the agent's kind
    assert out.strip() == "calls: 0 new, 1 joined to logged contacts, 0 updated, 0 refused"
    assert err == ""
    contact = Contact.objects.get()
    assert contact.pk == logged.pk
    assert (contact.call_id, contact.queue, contact.kind) == ("C1", "general", "information")
    assert (contact.queued_at, contact.answered_at, contact.ended_at) == (
        NINE,
        NINE + timedelta(seconds=30),
        NINE + timedelta(minutes=4),
    )


def test_an_abandoned_call_becomes_a_contact_of_its_own(tmp_path):
    # when
    out, _ = _import(tmp_path, "C2,spanish,2026-03-02 09:00:00,,2026-03-02 09:01:10,,\n")
    # then
    assert "1 new" in out
    contact = Contact.objects.get(call_id="C2")
    assert contact.abandoned
    assert (contact.agent, contact.kind, contact.ended_at) == (
        None,
        "",
        NINE + timedelta(seconds=70),
    )


def test_an_answered_call_nobody_logged_is_kept_without_a_kind(tmp_path, agent):
    # given: the agent logged a contact, but an hour later
    make_contact(agent=agent, at=NINE + timedelta(hours=1), kind=ContactKind.COMPLAINT)
    # when
    out, _ = _import(
        tmp_path,
        "C3,general,2026-03-02T09:00:00-06:00,2026-03-02T09:00:05-06:00,,"
        "2026-03-02T09:02:00-06:00,agent7\n",
    )
    # then
    assert "1 new, 0 joined" in out
    assert Contact.objects.get(call_id="C3").kind == ""
    assert Contact.objects.count() == 2


def test_importing_the_same_file_again_updates_instead_of_adding(tmp_path):
    # given
    _import(tmp_path, "C4,general,2026-03-02 09:00:00,,2026-03-02 09:00:40,,\n")
    # when
    out, _ = _import(tmp_path, "C4,general,2026-03-02 09:00:00,,2026-03-02 09:00:45,,\n")
    # then
    assert "0 new, 0 joined to logged contacts, 1 updated" in out
    assert Contact.objects.get().ended_at == NINE + timedelta(seconds=45)


@pytest.mark.parametrize(
    ("row", "why"),
    [
        (",general,2026-03-02 09:00:00,,,,\n", "no call id"),
        ("C5,general,yesterday,,,,\n", "not a time"),
        ("C6,general,,,,,\n", "no offered time"),
        (
            "C7,general,2026-03-02 09:00:00,2026-03-02 08:59:00,,,agent7\n",
            "answered before offered",
        ),
        (
            "C8,general,2026-03-02 09:00:00,2026-03-02 09:00:10,2026-03-02 09:00:20,,agent7\n",
            "answered and abandoned",
        ),
        ("C9,general,2026-03-02 09:00:00,2026-03-02 09:00:10,,,nobody\n", "no active user"),
        ("C10,general,2026-03-02 09:00:00,2026-03-02 09:00:10,,,\n", "answered by no agent"),
    ],
)
def test_a_bad_row_is_refused_with_its_reason_and_the_others_are_kept(tmp_path, agent, row, why):
    # when
    out, err = _import(tmp_path, row + "C11,general,2026-03-02 09:00:00,,2026-03-02 09:00:09,,\n")
    # then
    assert "1 new" in out and "1 refused" in out
    assert why in err
    assert list(Contact.objects.values_list("call_id", flat=True)) == ["C11"]


def test_a_file_without_the_layouts_columns_is_refused(tmp_path):
    # given
    path = tmp_path / "calls.csv"
    path.write_text("id,when\n1,2026-03-02\n")
    # when / then
    with pytest.raises(CommandError, match="no column call_id"):
        call_command("import", "calls", str(path), stdout=io.StringIO())
