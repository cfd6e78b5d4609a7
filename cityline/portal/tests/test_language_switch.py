import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_language_switcher_keeps_the_readers_choice(client):
    # when
    response = client.post(reverse("set_language"), {"language": "ar", "next": "/help/"})
    page = client.get("/help/").content.decode()
    # then
    assert response.status_code == 302
    assert response["Location"] == "/help/"
    assert '<html lang="ar" dir="rtl">' in page
    assert "ابحث عن إجابة" in page


def test_every_page_offers_the_switcher_with_labels(client):
    # when
    page = client.get("/help/").content.decode()
    # then
    assert '<label for="language-select">Language</label>' in page
    assert '<option value="es" lang="es">español</option>' in page
