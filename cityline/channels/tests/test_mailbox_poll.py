"""Reading the city's mailbox over IMAP, against a real IMAP server (pymap, in memory) started
for the test on a free local port; messages are put in the mailbox with IMAP APPEND, as a mail
server delivers them."""

import imaplib
import socket
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core.management import call_command

from cityline.channels.imap import mailbox_poll
from cityline.channels.models import EmailStatus, InboundEmail, InboundPhoto
from cityline.channels.tests.factories import png
from cityline.contacts.models import ContactChannel
from cityline.servicerequests.tests.factories import make_request

pytestmark = pytest.mark.django_db

USER, PASSWORD = "city", "mailbox-password"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, server: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the IMAP server exited: {server.stderr.read() if server.stderr else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail("the IMAP server did not start listening")


@pytest.fixture(scope="module")
def imap_server():
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "pymap"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-tls",
            "dict",
            "--demo-user",
            USER,
            "--demo-password",
            PASSWORD,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(port, server)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def mailbox(imap_server, settings):
    """A folder of its own for each test, and the settings that point the poller at it."""
    folder = f"Test{time.monotonic_ns()}"
    settings.CITYLINE_IMAP_HOST = "127.0.0.1"
    settings.CITYLINE_IMAP_PORT = imap_server
    settings.CITYLINE_IMAP_TLS = "none"
    settings.CITYLINE_IMAP_USER, settings.CITYLINE_IMAP_PASSWORD = USER, PASSWORD
    settings.CITYLINE_IMAP_FOLDER = folder
    with imaplib.IMAP4("127.0.0.1", imap_server) as imap:
        imap.login(USER, PASSWORD)
        imap.create(folder)
    return folder


def deliver(folder: str, port: int, message: EmailMessage) -> None:
    with imaplib.IMAP4("127.0.0.1", port) as imap:
        imap.login(USER, PASSWORD)
        imap.append(folder, None, None, message.as_bytes())


def mail(
    subject: str, body: str, sender: str = "Ana Ruiz <ana@example.org>", **headers
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "311@city.example"
    message["Subject"] = subject
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message


def unseen(folder: str, port: int) -> list[bytes]:
    with imaplib.IMAP4("127.0.0.1", port) as imap:
        imap.login(USER, PASSWORD)
        imap.select(folder)
        return imap.uid("SEARCH", "UNSEEN")[1][0].split()


def test_unread_messages_become_contacts_and_are_marked_read(mailbox, imap_server):
    # given
    request = make_request()
    deliver(mailbox, imap_server, mail("Pothole", "A pothole on Main St.", Message_ID="<a@x>"))
    deliver(mailbox, imap_server, mail(f"About {request.tracking_number}", "Still there."))
    # when
    received = mailbox_poll()
    # then
    assert received == 2
    statuses = dict(InboundEmail.objects.values_list("subject", "status"))
    assert statuses == {
        "Pothole": EmailStatus.WAITING,
        f"About {request.tracking_number}": EmailStatus.ATTACHED,
    }
    assert {e.contact.channel for e in InboundEmail.objects.all()} == {ContactChannel.EMAIL}
    assert unseen(mailbox, imap_server) == []


def test_a_second_poll_records_nothing_again(mailbox, imap_server):
    # given
    deliver(mailbox, imap_server, mail("Pothole", "A pothole.", Message_ID="<once@x>"))
    mailbox_poll()
    # when: the message is unread again (someone opened the mailbox and marked it so)
    with imaplib.IMAP4("127.0.0.1", imap_server) as imap:
        imap.login(USER, PASSWORD)
        imap.select(mailbox)
        for uid in imap.uid("SEARCH", "ALL")[1][0].split():
            imap.uid("STORE", uid, "-FLAGS", "(\\Seen)")
    again = mailbox_poll()
    # then
    assert again == 0
    assert InboundEmail.objects.count() == 1


def test_a_photo_is_kept_and_a_30_mb_attachment_refused_with_the_message_recorded(
    mailbox, imap_server
):
    # given
    message = mail("Broken light", "The streetlight is out.")
    message.add_attachment(png(), maintype="image", subtype="png", filename="light.png")
    message.add_attachment(
        b"\0" * (30 * 1024 * 1024), maintype="image", subtype="jpeg", filename="video.jpg"
    )
    deliver(mailbox, imap_server, message)
    # when
    mailbox_poll()
    # then
    email = InboundEmail.objects.get()
    assert [p.name for p in InboundPhoto.objects.filter(email=email)] == ["light.png"]
    [refused] = email.refused_attachments
    assert refused["name"] == "video.jpg"
    assert "larger than" in refused["reason"]


def test_a_message_without_a_sender_is_left_for_a_person_and_not_fetched_again(
    mailbox, imap_server
):
    # given
    deliver(mailbox, imap_server, mail("No sender", "Who wrote this?", sender=""))
    # when
    received = mailbox_poll()
    # then
    assert received == 0
    assert not InboundEmail.objects.exists()
    assert unseen(mailbox, imap_server) == []


def test_the_poll_command_reads_the_mailbox_once(mailbox, imap_server, capsys):
    # given
    deliver(mailbox, imap_server, mail("Graffiti", "Graffiti on the wall."))
    # when
    call_command("channels_poll")
    # then
    assert "e-mails received 1" in capsys.readouterr().out
    assert InboundEmail.objects.count() == 1


def test_without_a_mailbox_configured_nothing_is_polled(settings):
    # given
    settings.CITYLINE_IMAP_HOST = ""
    # when / then
    assert mailbox_poll() == 0
