"""Search follows the catalog: editing a service type or its keywords, through the catalog
services or a plain save as the admin makes, reindexes it once the change commits."""

import pytest
from django.db import transaction

from cityline.catalog.models import ServiceTypeKeyword
from cityline.catalog.services import service_type_upsert
from cityline.catalog.tests.factories import AgencyFactory
from cityline.knowledge.ranking import knowledge_search

pytestmark = pytest.mark.django_db


def _keys(query):
    return [result.key for result in knowledge_search(query=query, language="en")]


@pytest.fixture
def pothole(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return service_type_upsert(
            code="pothole", name="Pothole", agency=AgencyFactory(code="DOT"), keywords=["sinkhole"]
        )


def test_a_new_service_type_is_found_by_its_name_and_keywords(pothole):
    assert _keys("pothole") == ["pothole"]
    assert _keys("sinkhole") == ["pothole"]


def test_a_changed_name_and_keywords_are_found_and_the_old_ones_are_not(
    pothole, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        service_type_upsert(
            code="pothole", name="Road Defect", agency=pothole.agency, keywords=["cave-in"]
        )
    # then
    assert _keys("defect") == ["pothole"]
    assert _keys("cave-in") == ["pothole"]
    assert _keys("sinkhole") == []
    assert knowledge_search(query="defect", language="en")[0].title == "Road Defect"


@pytest.mark.parametrize("change", [{"is_active": False}, {"is_public": False}])
def test_a_type_taken_out_of_service_or_made_staff_only_is_no_longer_found(
    pothole, django_capture_on_commit_callbacks, change
):
    # when: saved as the admin saves it
    with django_capture_on_commit_callbacks(execute=True):
        for field, value in change.items():
            setattr(pothole, field, value)
        pothole.save()
    # then
    assert _keys("pothole") == []


def test_a_keyword_added_or_removed_on_its_own_is_followed(
    pothole, django_capture_on_commit_callbacks
):
    # when: an admin inline adds a keyword
    with django_capture_on_commit_callbacks(execute=True):
        ServiceTypeKeyword.objects.create(service_type=pothole, term="crater")
    # then
    assert _keys("crater") == ["pothole"]
    # when: and removes another
    with django_capture_on_commit_callbacks(execute=True):
        pothole.keywords.get(term="sinkhole").delete()
    # then
    assert _keys("sinkhole") == []


def test_a_deleted_type_is_no_longer_found(pothole, django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        pothole.delete()
    # then
    assert _keys("pothole") == []


def test_a_change_that_is_rolled_back_is_not_indexed(pothole, django_capture_on_commit_callbacks):
    # when
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        ServiceTypeKeyword.objects.create(service_type=pothole, term="crater")
        raise RuntimeError("the admin form failed")
    # then
    assert callbacks == []
    assert _keys("crater") == []
