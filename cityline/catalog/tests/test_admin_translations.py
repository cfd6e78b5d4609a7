"""The admin edits the catalog's text in every language, one input per language."""

import pytest
from django.utils import translation

from cityline.catalog.models import Agency, ServiceGroup

pytestmark = pytest.mark.django_db


def _group(admin_client, english: str, spanish: str, arabic: str = ""):
    return admin_client.post(
        "/admin/catalog/servicegroup/add/",
        {
            "name_en": english,
            "name_es": spanish,
            "name_ar": arabic,
            "description_en": "",
            "description_es": "",
            "description_ar": "",
        },
    )


def test_the_admin_shows_an_input_per_language(admin_client):
    # when
    page = admin_client.get("/admin/catalog/agency/add/").text
    # then
    for language in ("en", "es", "ar"):
        assert f'name="name_{language}"' in page
        assert f'name="description_{language}"' in page


def test_groups_added_in_the_admin_read_in_each_language_with_the_fallback(admin_client):
    # when
    first = _group(admin_client, "Streets", "Calles", "الشوارع")
    second = _group(admin_client, "Trees", "")
    # then
    assert (first.status_code, second.status_code) == (302, 302)
    names = {}
    for language in ("en", "es", "ar"):
        with translation.override(language):
            names[language] = sorted(group.name for group in ServiceGroup.objects.all())
    assert names == {
        "en": ["Streets", "Trees"],
        "es": ["Calles", "Trees"],
        "ar": ["Trees", "الشوارع"],
    }
    # the plain column, which the group's unique name and Meta's ordering read, is the city's
    assert sorted(ServiceGroup.objects.rewrite(False).values_list("name", flat=True)) == [
        "Streets",
        "Trees",
    ]


def _agency_change(admin_client, agency: Agency, **fields: str):
    """Post the agency's change form with every field blank but those given."""
    blank = ["name_es", "name_ar", "description_en", "description_es", "description_ar"]
    blank += ["public_email", "public_phone", "website", "notification_email"]
    return admin_client.post(
        f"/admin/catalog/agency/{agency.pk}/change/",
        {"code": agency.code, "name_en": agency.name, **dict.fromkeys(blank, ""), **fields},
    )


def test_an_agency_s_name_changed_in_the_admin_keeps_its_translations(admin_client):
    # given
    agency = Agency.objects.create(code="DOT", name="Transportation")
    agency.name_es = "Transporte"
    agency.save()
    # when
    response = _agency_change(
        admin_client, agency, name_en="Department of Transportation", name_es="Transporte"
    )
    # then
    assert response.status_code == 302
    agency.refresh_from_db()
    with translation.override("ar"):
        assert agency.name == "Department of Transportation"
    with translation.override("es"):
        assert agency.name == "Transporte"


def test_an_agency_s_website_typed_without_its_scheme_is_kept_as_a_secure_address(admin_client):
    # given
    agency = Agency.objects.create(code="DOT", name="Transportation")
    # when
    response = _agency_change(admin_client, agency, website="www.example.gov/dot")
    # then
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.website == "https://www.example.gov/dot"
