import pytest
from django.contrib.auth.models import Permission

from cityline.knowledge.models import AgencyReviewPolicy
from cityline.knowledge.tests.factories import editor_of, make_article, parks, sanitation, translate

pytestmark = pytest.mark.django_db


def test_the_admin_lists_articles_and_shows_their_revisions(admin_client):
    # given
    article = make_article()
    translate(article, language="es", title="¿Cómo quito un árbol?", body="Parques.")
    # when
    listing = admin_client.get("/admin/knowledge/knowledgearticle/")
    detail = admin_client.get(f"/admin/knowledge/knowledgearticle/{article.pk}/change/")
    # then
    assert listing.status_code == 200
    assert "How do I get a tree removed?" in listing.text
    assert detail.status_code == 200
    assert "¿Cómo quito un árbol?" in detail.text


def _agency_staff_with_the_admins_article_permission(agency):
    user = editor_of(agency, username="parks-staff")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="knowledge",
            codename__in=["view_knowledgearticle", "change_knowledgearticle"],
        )
    )
    return user


def _change_form(article, **changes):
    revision = article.revisions.get()
    data = {
        "slug": article.slug,
        "title": article.title,
        "agency": article.agency_id,
        "topic": article.topic,
        "source_language": article.source_language,
        "expire_at_0": "",
        "expire_at_1": "",
        "revisions-TOTAL_FORMS": "1",
        "revisions-INITIAL_FORMS": "1",
        "revisions-MIN_NUM_FORMS": "0",
        "revisions-MAX_NUM_FORMS": "1000",
        "revisions-0-id": revision.pk,
        "revisions-0-article": article.pk,
    }
    data.update(changes)
    return data


def test_agency_staff_cannot_move_their_article_into_another_agency(client):
    # given
    article = make_article()
    other_agency = sanitation()
    client.force_login(_agency_staff_with_the_admins_article_permission(article.agency))
    url = f"/admin/knowledge/knowledgearticle/{article.pk}/change/"
    # when
    kept = client.post(url, _change_form(article, topic="Trees"))
    moved = client.post(url, _change_form(article, agency=other_agency.pk))
    # then
    assert kept.status_code == 302
    assert moved.status_code == 200
    assert "Select a valid choice" in moved.text
    article.refresh_from_db()
    assert (article.agency, article.topic) == (parks(), "Trees")


def test_agency_staff_cannot_open_or_take_another_agencys_article(client):
    # given
    theirs = make_article(slug="bulk-pickup", agency=sanitation())
    client.force_login(_agency_staff_with_the_admins_article_permission(parks()))
    url = f"/admin/knowledge/knowledgearticle/{theirs.pk}/change/"
    # when
    opened = client.get(url)
    taken = client.post(url, _change_form(theirs, agency=parks().pk))
    listing = client.get("/admin/knowledge/knowledgearticle/")
    # then
    assert opened.status_code == 302
    assert taken.status_code == 302
    theirs.refresh_from_db()
    assert theirs.agency == sanitation()
    assert "bulk-pickup" not in listing.text


def test_agency_staff_cannot_let_their_own_authors_approve_themselves(client):
    # given staff of an agency holding every admin permission on review policies
    user = editor_of(parks(), username="parks-staff")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="knowledge", codename__contains="policy")
    )
    client.force_login(user)
    # when
    response = client.post(
        "/admin/knowledge/agencyreviewpolicy/add/",
        {"agency": parks().pk, "authors_may_approve": "on"},
    )
    # then
    assert response.status_code == 403
    assert not AgencyReviewPolicy.objects.exists()


def test_the_operator_sets_an_agencys_review_policy(admin_client):
    # when
    response = admin_client.post(
        "/admin/knowledge/agencyreviewpolicy/add/",
        {"agency": parks().pk, "authors_may_approve": "on"},
    )
    # then
    assert response.status_code == 302
    assert AgencyReviewPolicy.objects.get().authors_may_approve
