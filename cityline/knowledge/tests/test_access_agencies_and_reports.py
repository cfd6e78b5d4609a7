import pytest
from django.core.exceptions import PermissionDenied

from cityline.knowledge.access import agencies_for_editor, report_agency_for
from cityline.knowledge.tests.factories import actor, parks, sanitation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("owning_editor", {"PARKS"}),
        ("other_editor", {"DSNY"}),
        ("content_team", {"PARKS", "DSNY"}),
        ("resident", set()),
        ("anonymous", set()),
    ],
)
def test_editors_write_for_their_own_agency_and_the_content_team_for_all(role, expected):
    # given
    agency = parks()
    sanitation()
    user = actor(role, agency=agency)
    # when
    codes = set(agencies_for_editor(user=user).values_list("code", flat=True))
    # then
    assert codes == expected


@pytest.mark.parametrize("role", ["owning_editor", "content_team", "resident", "anonymous"])
def test_reports_cover_the_editors_agency_or_all_for_the_content_team(role):
    # given
    agency = parks()
    user = actor(role, agency=agency)
    # when / then
    if role == "owning_editor":
        assert report_agency_for(user=user) == agency
    elif role == "content_team":
        assert report_agency_for(user=user) is None
    else:
        with pytest.raises(PermissionDenied):
            report_agency_for(user=user)
