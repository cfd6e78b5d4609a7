import pytest
from django.core.mail import EmailMessage, get_connection

from cityline.accounts.tests.factories import UserFactory
from cityline.core import clock
from cityline.core.admin_pages import FOLDER_PAGE_SIZE
from cityline.notifications.models import EmailDelivery

pytestmark = pytest.mark.django_db
MAILBOX = "/admin/notifications/emaildelivery/mailbox/"


@pytest.fixture
def maildir(settings, tmp_path):
    settings.EMAIL_BACKEND = "cityline.notifications.mailbox.MaildirEmailBackend"
    settings.CITYLINE_MAILDIR = tmp_path / "mail"
    return settings.CITYLINE_MAILDIR


def send(subject: str, to: str, body: str = "Thank you.") -> None:
    EmailMessage(subject=subject, body=body, to=[to]).send()


def test_the_demo_keeps_every_message_as_a_file_of_its_own(maildir):
    # when
    sent = get_connection().send_messages(
        [
            EmailMessage(subject=f"Receipt {n}", body="Thank you.", to=["ada@example.org"])
            for n in range(3)
        ]
    )
    # then
    assert sent == 3
    assert len(list((maildir / "new").iterdir())) == 3


def test_an_operator_reads_the_outgoing_mail_newest_first(maildir, admin_client):
    # given
    send("Your request 311-1", "ada@example.org")
    send("New request 311-1", "dispatch@cdot.example.org")
    # when
    page = admin_client.get(MAILBOX)
    # then
    assert page.status_code == 200
    text = page.content.decode()
    assert "ada@example.org" in text
    assert text.index("New request 311-1") < text.index("Your request 311-1")


def test_an_operator_opens_one_message(maildir, admin_client):
    # given
    send("Your request 311-1", "ada@example.org", body="Tracking number 311-1.")
    listing = admin_client.get(MAILBOX)
    key = listing.context["page"].object_list[0].key
    # when
    page = admin_client.get(f"{MAILBOX}{key}/")
    # then
    assert page.status_code == 200
    assert "Tracking number 311-1." in page.content.decode()


def test_a_message_the_folder_does_not_hold_is_not_found(maildir, admin_client):
    # when
    page = admin_client.get(f"{MAILBOX}1700000000.M1P1Q1.elsewhere/")
    # then
    assert page.status_code == 404


def test_an_empty_folder_says_so(maildir, admin_client):
    # when
    page = admin_client.get(MAILBOX)
    # then
    assert "No mail has been delivered" in page.content.decode()


def test_a_page_number_out_of_range_shows_the_last_page(maildir, admin_client):
    # given
    send("Your request 311-1", "ada@example.org")
    # when
    page = admin_client.get(MAILBOX, {"page": "nine"})
    # then
    assert page.status_code == 200
    assert "Your request 311-1" in page.content.decode()


def test_staff_without_the_permission_may_not_read_the_mail(maildir, client):
    # given
    send("Your request 311-1", "ada@example.org")
    client.force_login(UserFactory(is_staff=True))
    # when
    page = client.get(MAILBOX)
    # then
    assert page.status_code == 403


def test_a_visitor_is_sent_to_log_in(maildir, client):
    # when
    page = client.get(MAILBOX)
    # then
    assert page.status_code == 302
    assert "/admin/login/" in page["Location"]


def test_the_record_of_sent_email_lists_message_ids_and_links_to_the_outgoing_mail(
    admin_client,
):
    # given
    EmailDelivery.objects.create(
        outbox_message_id=7,
        part="receipt",
        message_id="<20260401.7.receipt@cityline.invalid>",
        attempts=1,
        last_tried_at=clock.now(),
        sent_at=clock.now(),
    )
    # when
    page = admin_client.get("/admin/notifications/emaildelivery/")
    # then
    text = page.content.decode()
    assert page.status_code == 200
    assert "&lt;20260401.7.receipt@cityline.invalid&gt;" in text
    assert MAILBOX in text


def test_a_long_folder_is_read_a_page_at_a_time(maildir, admin_client):
    # given
    for number in range(FOLDER_PAGE_SIZE + 1):
        send(f"Your request 311-{number}", "ada@example.org")
    # when
    first = admin_client.get(MAILBOX).content.decode()
    second = admin_client.get(MAILBOX, {"page": "2"}).content.decode()
    # then
    assert "Page 1 of 2" in first
    assert 'page=2">Older</a>' in first
    assert "Newer" not in first
    assert "Page 2 of 2" in second
    assert 'page=1">Newer</a>' in second
