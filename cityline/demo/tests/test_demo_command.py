"""`cityline demo` builds a whole city. It is built once for this module (it takes a few seconds),
at a frozen moment, and every test reads it; tests that write roll back as usual."""

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import h3
import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from shapely.geometry import shape

from cityline.analytics.opendata import published_chunks
from cityline.catalog.models import (
    Agency,
    AttributeDatatype,
    RoutingRule,
    ServiceAttribute,
    ServiceType,
)
from cityline.demo import content
from cityline.geo.geocoding import geocoder
from cityline.geo.models import AddressPoint, BoundaryArea, BoundaryLayer
from cityline.knowledge.models import (
    ArticleRevision,
    ArticleStatus,
    KnowledgeArticle,
    RevisionState,
)
from cityline.knowledge.ranking import knowledge_search
from cityline.knowledge.selectors import article_get_public
from cityline.knowledge.transfer.exporting import knowledge_export
from cityline.knowledge.transfer.importing import knowledge_import
from cityline.notifications.services import message_templates_add_missing
from cityline.servicerequests.models import RequestArea, ServiceRequest, Status
from cityline.servicerequests.tests.factories import make_request
from cityline.sla.models import SlaUnit

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=CHICAGO)
REQUESTS = 300
SEED = 7


@pytest.fixture(scope="module", autouse=True)
def demo_city(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False):
        out = io.StringIO()
        call_command("demo", requests=REQUESTS, seed=SEED, stdout=out)
    yield out.getvalue()
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        # What the migrations installed, for the modules that follow.
        message_templates_add_missing()


def test_the_catalog_has_more_than_thirty_types_asking_every_kind_of_question():
    # when
    datatypes = set(ServiceAttribute.objects.values_list("datatype", flat=True))
    # then
    assert ServiceType.objects.count() >= 30
    assert datatypes == set(AttributeDatatype.values)


def test_questions_are_required_or_not_list_valued_or_notices():
    # given
    questions = ServiceAttribute.objects.prefetch_related("values")
    # then
    assert questions.filter(required=True).exists()
    assert questions.filter(required=False, variable=True).exists()
    notices = questions.filter(variable=False)
    assert notices.exists() and not notices.filter(required=True).exists()
    lists = [q for q in questions if q.is_list]
    assert lists and all(len(q.values.all()) >= 2 for q in lists)


def test_residents_words_find_their_service_type():
    # when
    pothole = set(ServiceType.objects.get(code="pothole").keywords.values_list("term", flat=True))
    dead_animal = set(
        ServiceType.objects.get(code="dead-animal").keywords.values_list("term", flat=True)
    )
    # then
    assert {"sinkhole", "cave-in"} <= pothole
    assert "roadkill" in dead_animal


def test_some_types_are_for_staff_only():
    assert ServiceType.objects.filter(is_public=False).count() >= 2
    assert ServiceType.objects.filter(is_public=True).count() >= 30


@pytest.mark.parametrize(
    ("code", "amount", "unit"),
    [
        ("dead-animal", 3, SlaUnit.CALENDAR_DAYS),
        ("abandoned-vehicle", 30, SlaUnit.CALENDAR_DAYS),
        ("property-not-maintained", 45, SlaUnit.CALENDAR_DAYS),
    ],
)
def test_the_city_promises_its_published_service_levels(code, amount, unit):
    # when
    policy = ServiceType.objects.get(code=code).sla_policy
    # then
    assert (policy.amount, policy.unit) == (amount, unit)


def test_targets_are_in_hours_calendar_days_and_business_days_on_the_states_calendar():
    # when
    policies = {t.sla_policy for t in ServiceType.objects.select_related("sla_policy__calendar")}
    business = [p for p in policies if p.unit == SlaUnit.BUSINESS_DAYS]
    # then
    assert {p.unit for p in policies} == set(SlaUnit.values)
    assert business
    calendar = business[0].calendar
    assert (calendar.holiday_country, calendar.holiday_subdivision) == ("US", "NY")
    assert calendar.closures.exists()


def test_at_least_eight_agencies_publish_how_to_reach_them():
    # when
    agencies = Agency.objects.all()
    # then
    assert agencies.count() >= 8
    assert all(a.public_phone and a.public_email and a.website for a in agencies)


def test_boundary_layers_cover_the_city_and_one_holds_zip_codes():
    # when
    layers = {layer.slug: layer for layer in BoundaryLayer.objects.all()}
    # then
    assert {"council-districts", "community-boards", "zipcodes", "parks"} <= set(layers)
    assert all(layer.areas.count() >= 5 for layer in layers.values())
    assert [slug for slug, layer in layers.items() if layer.is_zipcode] == ["zipcodes"]


def test_trees_in_parks_go_to_parks_and_trees_on_wires_to_emergency_management():
    # given
    fallen_tree = ServiceType.objects.get(code="fallen-tree")
    park = BoundaryArea.objects.filter(layer__slug="parks").order_by("code").first()
    inside = shape(park.geometry).representative_point()
    street = AddressPoint.objects.order_by("normalized").first()
    # when
    in_park = make_request(
        service_type=fallen_tree,
        latitude=inside.y,
        longitude=inside.x,
        answers={"blocking": ["sidewalk"]},
    )
    on_street = make_request(
        service_type=fallen_tree,
        latitude=street.latitude,
        longitude=street.longitude,
        answers={"blocking": ["street"]},
    )
    on_wires = make_request(
        service_type=fallen_tree,
        latitude=inside.y,
        longitude=inside.x,
        answers={"blocking": ["power_lines"]},
    )
    # then
    assert RoutingRule.objects.filter(service_type=fallen_tree).count() > 1
    assert (in_park.agency.code, on_street.agency.code, on_wires.agency.code) == (
        "DPR",
        "DOT",
        "OEM",
    )


def test_the_history_reaches_back_two_years_and_up_to_today():
    # when
    requests = ServiceRequest.objects.filter(source="demo")
    first = requests.order_by("requested_at").first().requested_at
    last = requests.order_by("requested_at").last().requested_at
    # then
    assert requests.count() == REQUESTS
    assert NOW - last < timedelta(days=5)
    assert last <= NOW
    assert NOW - first > timedelta(days=600)
    assert len({r.requested_at.month for r in requests}) == 12


def test_requests_are_open_or_closed_and_meet_or_miss_their_sla():
    # given
    requests = list(ServiceRequest.objects.filter(source="demo"))
    closed = [r for r in requests if r.status == Status.CLOSED]
    still_open = [r for r in requests if r.status != Status.CLOSED]
    # then
    assert closed and still_open
    assert all(r.resolution and r.closed_at and r.status_notes for r in closed)
    assert any(r.closed_at <= r.expected_at for r in closed)
    assert any(r.closed_at > r.expected_at for r in closed)
    recent = [r for r in requests if NOW - r.requested_at < timedelta(days=14)]
    assert sum(r.is_open for r in recent) / len(recent) > len(still_open) / len(requests)
    assert len({r.channel for r in requests}) >= 5
    assert all(r.description for r in requests)


def test_every_request_lies_in_a_district_a_community_board_and_a_zip_code():
    # given
    requests = ServiceRequest.objects.filter(source="demo")
    layers_of = {}
    for request_id, slug, code in RequestArea.objects.values_list(
        "request_id", "area__layer__slug", "area__code"
    ):
        layers_of.setdefault(request_id, {})[slug] = code
    # then
    for request in requests:
        found = layers_of.get(request.pk, {})
        assert {"council-districts", "community-boards", "zipcodes"} <= set(found), request
        assert request.zipcode == found["zipcodes"]


def test_a_demo_address_geocodes_and_a_demo_point_reverse_geocodes():
    # given
    record = next(content.addresses())
    pin = ServiceRequest.objects.filter(source="demo", address="").first()
    # when
    found = geocoder().geocode(re.sub(r" St$", " Street", record.address).upper())
    nearest = geocoder().reverse(latitude=pin.latitude, longitude=pin.longitude)
    # then
    assert (found.latitude, found.longitude) == (record.latitude, record.longitude)
    assert nearest is not None and nearest.address


def test_a_second_run_updates_the_city_in_place():
    # given
    counts = (
        Agency.objects.count(),
        ServiceType.objects.count(),
        ServiceAttribute.objects.count(),
        RoutingRule.objects.count(),
        BoundaryArea.objects.count(),
        AddressPoint.objects.count(),
    )
    numbers = set(ServiceRequest.objects.values_list("tracking_number", flat=True))
    out = io.StringIO()
    # when
    with time_machine.travel(NOW, tick=False):
        call_command("demo", requests=REQUESTS, seed=SEED, stdout=out)
    # then
    assert (
        Agency.objects.count(),
        ServiceType.objects.count(),
        ServiceAttribute.objects.count(),
        RoutingRule.objects.count(),
        BoundaryArea.objects.count(),
        AddressPoint.objects.count(),
    ) == counts
    assert set(ServiceRequest.objects.values_list("tracking_number", flat=True)) == numbers
    assert f"0 created, {REQUESTS} updated, 0 removed" in out.getvalue()


def test_another_seed_replaces_the_history_rather_than_adding_to_it():
    # when
    with time_machine.travel(NOW, tick=False):
        call_command("demo", requests=120, seed=SEED + 1, stdout=io.StringIO())
    # then
    source_ids = list(ServiceRequest.objects.values_list("source_id", flat=True))
    assert len(source_ids) == 120
    assert all(s.startswith(f"{SEED + 1}-") for s in source_ids)


def test_the_summary_names_what_was_built(demo_city):
    assert "Port Meridian" in demo_city
    for words in ("agencies", "service types", "ZIP Codes", "address points", "300"):
        assert words in demo_city
    assert re.search(r"knowledge base\s+\d+ articles, \d+ translations", demo_city)


def test_the_knowledge_base_is_published_across_the_agencies():
    # when
    articles = KnowledgeArticle.objects.filter(status=ArticleStatus.PUBLISHED)
    # then
    assert articles.count() >= 60
    assert articles.values("agency").distinct().count() == Agency.objects.count()
    assert not ArticleRevision.objects.exclude(state=RevisionState.PUBLISHED).exists()
    assert articles.filter(service_types__isnull=False).distinct().count() >= 40
    assert articles.filter(related_articles__isnull=False).distinct().count() >= 50


def test_the_knowledge_base_is_translated_into_spanish_and_arabic():
    # when
    translated = ArticleRevision.objects.filter(state=RevisionState.PUBLISHED).exclude(
        source_revision=None
    )
    # then
    assert translated.filter(language="es").count() >= 12
    assert translated.filter(language="ar").count() >= 3
    assert article_get_public(slug="no-heat", language="ar").fallback is False
    assert article_get_public(slug="pothole", language="es").title == "¿Cómo reporto un bache?"


@pytest.mark.parametrize("language", ["es", "ar"])
def test_the_report_form_asks_every_public_types_questions_in_spanish_and_arabic(client, language):
    # given
    [translation] = [t for t in content.catalog_translations() if t.language == language]
    public = [t for t in content.catalog().service_types if t.is_public]
    # when
    missing = []
    for service_type in public:
        page = client.get(
            f"/report/?service={service_type.code}", headers={"accept-language": language}
        ).content.decode()
        texts = translation.service_types[service_type.code].questions
        for question in service_type.questions:
            text = texts[question.code]
            words = [text.description, *(text.values[v.key] for v in question.values)]
            missing += [
                f"{service_type.code}/{question.code}: {word}"
                for word in words
                if escape(word) not in page
            ]
    # then
    assert missing == []


def test_loading_the_knowledge_base_again_changes_nothing():
    # given
    before = list(ArticleRevision.objects.order_by("pk").values_list("pk", "state"))
    # when
    report = knowledge_import(path=content.DATA / "knowledge")
    # then
    assert report.errors == [] and report.changed == 0
    assert list(ArticleRevision.objects.order_by("pk").values_list("pk", "state")) == before


def test_the_knowledge_base_exports_exactly_as_it_is_stored(tmp_path):
    # when
    knowledge_export(path=tmp_path, format="markdown")
    # then
    stored = content.DATA / "knowledge"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in stored.iterdir())
    for path in stored.iterdir():
        assert (tmp_path / path.name).read_text(encoding="utf-8") == path.read_text(
            encoding="utf-8"
        ), path.name


def test_an_article_leads_to_its_service_type_and_its_related_answers():
    # when
    article = article_get_public(slug="dead-animal-removal", language="en")
    # then
    assert [link.code for link in article.service_types] == ["dead-animal"]
    assert {related.slug for related in article.related} == {"stray-dog", "injured-wildlife"}
    assert ServiceType.objects.get(code="dead-animal").sla_policy.name == "3 calendar days"


@pytest.mark.parametrize(
    ("query", "language", "slug"),
    [
        ("roadkill", "en", "dead-animal-removal"),
        ("pothole", "en", "pothole"),
        ("alternate side parking", "en", "alternate-side-parking"),
        ("can I recycle plastic bottles", "en", "what-goes-in-recycling"),
        ("no heat", "en", "no-heat"),
        ("bache", "es", "pothole"),
    ],
)
def test_residents_words_find_the_expected_article(query, language, slug):
    # when
    results = knowledge_search(query=query, language=language)
    # then
    articles = [result.key for result in results if result.kind == "article"]
    assert articles[0] == slug


def test_the_demo_refreshes_postgresqls_statistics_once_its_requests_are_loaded():
    # when
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as queries:
        call_command("demo", requests=REQUESTS, seed=SEED, stdout=io.StringIO())
    # then
    analyses = [query["sql"] for query in queries if query["sql"].startswith("ANALYZE")]
    assert len(analyses) == (1 if connection.vendor == "postgresql" else 0)
    assert all('"servicerequests_servicerequest"' in sql for sql in analyses)


def test_the_demo_citys_open_data_generalises_a_tenants_home_and_leaves_out_their_words():
    # when
    rows = [
        row
        for table in published_chunks(chunk_size=1000)
        for row in table.to_pylist()
        if row["service_code"] in {"apartment-repair", "pothole"}
    ]
    # then: a tenant's apartment is shown by its coarse cell, a pothole where it is
    repairs = [row for row in rows if row["service_code"] == "apartment-repair"]
    potholes = [row for row in rows if row["service_code"] == "pothole"]
    assert repairs and potholes
    assert {(r["location_precision"], r["address"], r["description"]) for r in repairs} == {
        ("h3_cell", None, None)
    }
    for repair in repairs:
        assert (repair["latitude"], repair["longitude"]) == pytest.approx(
            h3.cell_to_latlng(repair["h3_cell"])
        )
    assert {row["location_precision"] for row in potholes if row["latitude"]} == {"exact"}
