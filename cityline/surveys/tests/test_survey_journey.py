"""A resident answers the survey of their closed request in a real browser, on a 320 px phone,
in each language; axe-core checks the page."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from cityline.core import clock
from cityline.servicerequests.models import Status
from cityline.servicerequests.tests.factories import make_request_in_status
from cityline.surveys.links import survey_sign
from cityline.surveys.models import Survey, SurveyKind

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "testing" / "vendor" / "axe-core" / "axe.min.js"


def _axe_serious(page) -> list[list]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a',"
        " 'wcag21aa', 'best-practice']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => [v.impact, v.id, v.nodes.map(n => n.target.join(' '))])"
    )


@pytest.mark.parametrize(
    ("language", "answer", "send", "reopened"),
    [
        ("en", "No, it was not fixed", "Send my answer", "reopened the request"),
        ("es", "No, no se resolvió", "Enviar mi respuesta", "ha reabierto la solicitud"),
        ("ar", "لا، لم تُحل", "أرسل إجابتي", "أعادت المدينة فتح الطلب"),
    ],
)
def test_a_resident_says_on_a_phone_that_it_was_not_fixed(
    browser_context_factory, language, answer, send, reopened
):
    # given
    request = make_request_in_status(Status.CLOSED)
    survey = Survey.objects.create(
        kind=SurveyKind.SERVICE,
        request=request,
        channel="email",
        language=language,
        outbox_message_id=1,
        recipient_digest="x",
        sent_at=clock.now(),
    )
    # axe is added to the page as a script of the test's own: the page's policy would refuse it.
    page = browser_context_factory(
        bypass_csp=True, viewport={"width": 320, "height": 800}
    ).new_page()
    # when
    page.goto(f"/survey/{survey_sign(survey_id=survey.pk)}/")
    # then
    assert _axe_serious(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    # when
    page.get_by_label(answer).check()
    page.get_by_role("button", name=send).click()
    # then
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.get_by_text(reopened)).to_be_visible()
    assert _axe_serious(page) == []
    request.refresh_from_db()
    assert request.status != Status.CLOSED
