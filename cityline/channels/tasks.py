from django_tasks import task

from cityline.channels.imap import mailbox_poll
from cityline.channels.services.sms import sms_conversations_expire


@task()
def channels_poll_task() -> int:
    """The mailbox read, and text conversations past their time closed."""
    sms_conversations_expire()
    return mailbox_poll()
