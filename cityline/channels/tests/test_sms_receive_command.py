import pytest
from django.core.management import CommandError, call_command

from cityline.channels.models import SmsMessage

pytestmark = pytest.mark.django_db


def test_an_operator_tries_a_text_and_reads_the_reply(capsys):
    # when
    call_command("sms_receive", "+13125550100", "STATUS 311-ZZZZ-ZZZZ")
    # then
    assert "No request has the number 311-ZZZZ-ZZZZ" in capsys.readouterr().out
    assert SmsMessage.objects.filter(direction="in").count() == 1


def test_a_text_too_long_is_refused_naming_the_field():
    # when / then
    with pytest.raises(CommandError, match="body"):
        call_command("sms_receive", "+13125550100", "x" * 2000)
    assert not SmsMessage.objects.exists()
