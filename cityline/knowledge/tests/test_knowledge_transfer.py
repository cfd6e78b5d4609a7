import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cityline.catalog.tests.factories import AgencyFactory, ServiceTypeFactory
from cityline.knowledge.access import IMPORT_USERNAME
from cityline.knowledge.models import ArticleRevision, KnowledgeArticle, RevisionState
from cityline.knowledge.selectors import article_get_for_staff, article_get_public
from cityline.knowledge.tests.factories import content_team_member, make_article, translate
from cityline.knowledge.transfer.exporting import export_records, knowledge_export
from cityline.knowledge.transfer.importing import knowledge_import
from cityline.knowledge.transfer.markdown_read import parse_front_matter
from cityline.knowledge.transfer.records import TransferError

pytestmark = pytest.mark.django_db

POTHOLE = """---
slug: pothole
title: How do I report a pothole?
agency: DOT
topic: Streets
language: en
service_types:
  - pothole
related:
  - sidewalk
last_reviewed: 2026-01-15
---

## Public answer

Report it with its nearest address. Crews fill most potholes within a week.

## Internal notes

Ask whether a car was damaged: claims go to the Comptroller.

## Call script

"Can you tell me the nearest address to the pothole?"
"""

SIDEWALK = """---
slug: sidewalk
title: Who fixes a broken sidewalk?
agency: DOT
topic: Streets
related: [pothole]
---

## Public answer

The property owner repairs the sidewalk in front of their building.
"""

POTHOLE_ES = """---
source: pothole
language: es
title: ¿Cómo reporto un bache?
---

## Public answer

Repórtelo con la dirección más cercana.
"""

POTHOLE_AR = """---
source: pothole
language: ar
title: كيف أبلغ عن حفرة في الطريق؟
---

## Public answer

أبلغ عنها مع أقرب عنوان.
"""


@pytest.fixture
def catalog():
    dot = AgencyFactory(code="DOT", name="Department of Transportation")
    ServiceTypeFactory(code="pothole", name="Pothole", agency=dot)
    return dot


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def folder(tmp_path, catalog) -> Path:
    return write(
        tmp_path / "kb",
        {
            "pothole.md": POTHOLE,
            "sidewalk.md": SIDEWALK,
            "pothole.es.md": POTHOLE_ES,
            "pothole.ar.md": POTHOLE_AR,
        },
    )


def published_texts() -> set[tuple]:
    return set(
        ArticleRevision.objects.filter(state=RevisionState.PUBLISHED).values_list(
            "article__slug", "language", "title", "body", "internal_notes", "call_script"
        )
    )


def test_import_publishes_articles_with_metadata_and_staff_sections(folder):
    # when
    report = knowledge_import(path=folder)
    # then
    assert report.errors == []
    assert (report.created, report.translations_created) == (2, 2)
    article = KnowledgeArticle.objects.get(slug="pothole")
    assert article.status == "published"
    assert article.agency.code == "DOT" and article.topic == "Streets"
    assert list(article.service_types.values_list("code", flat=True)) == ["pothole"]
    assert list(article.related_articles.values_list("slug", flat=True)) == ["sidewalk"]
    assert article.last_reviewed_at.date() == date(2026, 1, 15)
    public = article_get_public(slug="pothole", language="en")
    assert "nearest address" in public.body_html
    assert "Comptroller" not in public.body_html
    staff = article_get_for_staff(user=content_team_member(), slug="pothole", language="en")
    assert "Comptroller" in staff.internal_notes_html
    assert "nearest address" in staff.call_script_html


def test_import_writes_as_a_content_team_user(folder):
    # when
    knowledge_import(path=folder)
    # then
    authors = set(ArticleRevision.objects.values_list("author__username", flat=True))
    assert authors == {IMPORT_USERNAME}


def test_translations_are_linked_to_their_source_revision(folder):
    # when
    knowledge_import(path=folder)
    # then
    source = ArticleRevision.objects.get(
        article__slug="pothole", language="en", state=RevisionState.PUBLISHED
    )
    spanish = ArticleRevision.objects.get(article__slug="pothole", language="es")
    arabic = ArticleRevision.objects.get(article__slug="pothole", language="ar")
    assert spanish.source_revision == source and arabic.source_revision == source
    assert article_get_public(slug="pothole", language="ar").title == (
        "كيف أبلغ عن حفرة في الطريق؟"
    )
    assert article_get_public(slug="pothole", language="es").fallback is False


def test_reimporting_unchanged_content_changes_nothing(folder):
    # given
    knowledge_import(path=folder)
    before = list(ArticleRevision.objects.order_by("pk").values_list("pk", "state"))
    # when
    report = knowledge_import(path=folder)
    # then
    assert report.changed == 0 and report.errors == []
    assert (report.unchanged, report.translations_unchanged) == (2, 2)
    assert list(ArticleRevision.objects.order_by("pk").values_list("pk", "state")) == before


def test_changed_content_becomes_a_new_published_revision(folder):
    # given
    knowledge_import(path=folder)
    (folder / "pothole.md").write_text(
        POTHOLE.replace("within a week", "within five business days"), encoding="utf-8"
    )
    # when
    report = knowledge_import(path=folder)
    # then
    assert (report.revised, report.unchanged) == (1, 1)
    revisions = ArticleRevision.objects.filter(article__slug="pothole", language="en")
    assert sorted(revisions.values_list("state", flat=True)) == ["published", "superseded"]
    assert "five business days" in revisions.get(state="published").body


def test_metadata_change_alone_updates_the_article_without_a_revision(folder):
    # given
    knowledge_import(path=folder)
    (folder / "sidewalk.md").write_text(
        SIDEWALK.replace("topic: Streets", "topic: Sidewalks"), encoding="utf-8"
    )
    # when
    report = knowledge_import(path=folder)
    # then
    assert report.revised == 1
    assert KnowledgeArticle.objects.get(slug="sidewalk").topic == "Sidewalks"
    assert ArticleRevision.objects.filter(article__slug="sidewalk").count() == 1


def test_markdown_export_then_import_round_trips(folder, tmp_path):
    # given
    knowledge_import(path=folder)
    before = published_texts()
    exported = tmp_path / "out"
    # when
    count = knowledge_export(path=exported, format="markdown")
    # then
    assert count == 2
    assert sorted(p.name for p in exported.iterdir()) == [
        "pothole.ar.md",
        "pothole.es.md",
        "pothole.md",
        "sidewalk.md",
    ]
    report = knowledge_import(path=exported)
    assert report.changed == 0 and report.errors == []
    assert published_texts() == before
    assert (exported / "pothole.md").read_text(encoding="utf-8").startswith("---\nslug: pothole\n")


def test_exporting_costs_the_same_queries_however_many_articles_there_are(
    django_assert_max_num_queries,
):
    # given
    for number in range(5):
        article = make_article(slug=f"question-{number}", title=f"Question {number}?")
        translate(article, language="es", title=f"¿Pregunta {number}?", body="Sí.")
    # when / then: the articles with their agencies, service types, related articles, revisions
    with django_assert_max_num_queries(4):
        exported = export_records()
    assert [len(translations) for _record, translations in exported] == [1] * 5


def test_json_export_imports_into_an_empty_database(folder, tmp_path):
    # given
    knowledge_import(path=folder)
    before = published_texts()
    file = tmp_path / "kb.json"
    knowledge_export(path=file, format="json")
    ArticleRevision.objects.exclude(source_revision=None).delete()
    ArticleRevision.objects.all().delete()
    KnowledgeArticle.objects.all().delete()
    # when
    report = knowledge_import(path=file)
    # then
    assert report.errors == []
    assert (report.created, report.translations_created) == (2, 2)
    assert published_texts() == before
    data = json.loads(file.read_text(encoding="utf-8"))
    assert [t["language"] for t in data["articles"][0]["translations"]] == ["ar", "es"]
    article = KnowledgeArticle.objects.get(slug="pothole")
    assert article.last_reviewed_at.date() == date(2026, 1, 15)
    assert list(article.related_articles.values_list("slug", flat=True)) == ["sidewalk"]


def test_bad_files_are_reported_and_the_rest_still_load(tmp_path, catalog):
    # given
    folder = write(
        tmp_path / "kb",
        {
            "pothole.md": POTHOLE.replace("related:\n  - sidewalk\n", ""),
            "no-agency.md": SIDEWALK.replace("agency: DOT", "agency: NOPE"),
            "no-front-matter.md": "## Public answer\n\nHello.\n",
            "bad-line.md": POTHOLE.replace("topic: Streets", "topic Streets"),
            "bad-date.md": SIDEWALK.replace("topic: Streets", "last_reviewed: soon"),
            "orphan.es.md": POTHOLE_ES.replace("source: pothole", "source: missing"),
            "unknown-type.md": SIDEWALK.replace("slug: sidewalk", "slug: other").replace(
                "related: [pothole]", "service_types: [teleporter]"
            ),
            "pothole.es.md": POTHOLE_ES,
        },
    )
    # when
    report = knowledge_import(path=folder)
    # then
    errors = dict(report.errors)
    assert set(errors) == {
        "no-agency.md",
        "no-front-matter.md",
        "bad-line.md",
        "bad-date.md",
        "orphan.es.md",
        "unknown-type.md",
    }
    assert "NOPE" in errors["no-agency.md"]
    assert "front matter" in errors["no-front-matter.md"]
    assert "line" in errors["bad-line.md"]
    assert "date" in errors["bad-date.md"]
    assert "missing" in errors["orphan.es.md"]
    assert "teleporter" in errors["unknown-type.md"]
    assert list(KnowledgeArticle.objects.values_list("slug", flat=True)) == ["pothole"]
    assert report.translations_created == 1


def test_a_missing_related_article_is_reported_but_the_article_is_kept(tmp_path, catalog):
    # given
    folder = write(tmp_path / "kb", {"pothole.md": POTHOLE})
    # when
    report = knowledge_import(path=folder)
    # then
    assert report.errors == [("pothole.md", "no related article with the slug sidewalk")]
    assert KnowledgeArticle.objects.get(slug="pothole").status == "published"


def test_bad_json_records_are_reported_one_by_one(tmp_path, catalog):
    # given
    file = tmp_path / "kb.json"
    file.write_text(
        json.dumps(
            {
                "articles": [
                    {"slug": "a", "title": "A?", "agency": "DOT", "body": "Yes."},
                    {"slug": "b", "title": "B?", "agency": "XYZ"},
                    {"slug": "c", "agency": "DOT"},
                    {
                        "slug": "d",
                        "title": "D?",
                        "agency": "DOT",
                        "translations": [{"language": "es"}],
                    },
                ]
            }
        ),
        encoding="utf-8",
    )
    # when
    report = knowledge_import(path=file)
    # then
    assert sorted(where for where, _ in report.errors) == [
        "kb.json articles[1] (b)",
        "kb.json articles[2]",
        "kb.json articles[3] (d) translations[0]",
    ]
    assert set(KnowledgeArticle.objects.values_list("slug", flat=True)) == {"a", "d"}


@pytest.mark.parametrize(
    ("record", "named"),
    [
        ({"slug": "has spaces here"}, "slug"),
        ({"slug": "s" * 121}, "slug"),
        ({"title": "Why? " * 61}, "title"),
        ({"topic": "T" * 101}, "topic"),
        ({"language": "english-language"}, "language"),
    ],
)
def test_a_record_its_columns_cannot_hold_is_reported_and_the_rest_load(
    tmp_path, catalog, record, named
):
    # given
    file = tmp_path / "kb.json"
    bad = {"slug": "bad", "title": "Bad?", "agency": "DOT", **record}
    good = {"slug": "good", "title": "Good?", "agency": "DOT"}
    file.write_text(json.dumps({"articles": [bad, good]}), encoding="utf-8")
    # when
    report = knowledge_import(path=file)
    # then
    [(where, message)] = report.errors
    assert where.startswith("kb.json articles[0]")
    assert named in message
    assert list(KnowledgeArticle.objects.values_list("slug", flat=True)) == ["good"]


def test_invalid_json_is_one_error(tmp_path, catalog):
    # given
    file = tmp_path / "kb.json"
    file.write_text("{not json", encoding="utf-8")
    # when
    report = knowledge_import(path=file)
    # then
    assert len(report.errors) == 1 and "not valid JSON" in report.errors[0][1]


def test_front_matter_lists_quotes_and_errors():
    # when
    values, rest = parse_front_matter(
        '---\ntitle: "Is it: really?"\ntags:\n  - a\n  - b\ninline: [c, d]\n---\nbody'
    )
    # then
    assert values == {"title": "Is it: really?", "tags": ["a", "b"], "inline": ["c", "d"]}
    assert rest == "body"
    with pytest.raises(TransferError, match="closing"):
        parse_front_matter("---\ntitle: x\n")
    with pytest.raises(TransferError, match="given twice"):
        parse_front_matter("---\ntitle: x\ntitle: y\n---\n")
    with pytest.raises(TransferError, match="list item"):
        parse_front_matter("---\ntitle: x\n  - y\n---\n")


def test_the_command_imports_exports_and_fails_on_errors(folder, tmp_path):
    # given
    out = StringIO()
    # when
    call_command("knowledge", "import", str(folder), stdout=out)
    call_command("knowledge", "export", str(tmp_path / "kb.json"), "--format", "json", stdout=out)
    # then
    assert "articles: 2 created" in out.getvalue()
    assert "2 articles exported" in out.getvalue()
    assert (tmp_path / "kb.json").exists()
    (folder / "broken.md").write_text("no front matter", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="1 files or records"):
        call_command("knowledge", "import", str(folder), stdout=StringIO(), stderr=err)
    assert "broken.md" in err.getvalue()


def test_a_changed_source_leaves_its_translation_flagged_for_update(folder):
    # given
    knowledge_import(path=folder)
    (folder / "pothole.md").write_text(
        POTHOLE.replace("Report it", "Report the hole"), encoding="utf-8"
    )
    # when
    knowledge_import(path=folder)
    # then
    staff = article_get_for_staff(user=content_team_member(), slug="pothole", language="es")
    assert staff.needs_update is True


def test_a_changed_translation_is_retranslated_from_the_current_source(folder):
    # given
    knowledge_import(path=folder)
    (folder / "pothole.md").write_text(
        POTHOLE.replace("Report it", "Report the hole"), encoding="utf-8"
    )
    knowledge_import(path=folder)
    (folder / "pothole.es.md").write_text(
        POTHOLE_ES.replace("Repórtelo", "Reporte el bache"), encoding="utf-8"
    )
    # when
    report = knowledge_import(path=folder)
    # then
    assert (report.translations_revised, report.translations_unchanged) == (1, 1)
    spanish = ArticleRevision.objects.get(
        article__slug="pothole", language="es", state=RevisionState.PUBLISHED
    )
    assert "Report the hole" in spanish.source_revision.body
    staff = article_get_for_staff(user=content_team_member(), slug="pothole", language="es")
    assert staff.needs_update is False
