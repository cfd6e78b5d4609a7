"""Reading surveys: one by its number, and the scores of a period by group.

Definitions (so a supervisor can check them by hand):
- asked: surveys sent in the period (by `sent_at`); answered: those answered since.
- response rate: answered over asked.
- average score: the mean of the 1 to 5 scores given after contacts.
- fixed share: of the answers to "was it fixed?", the share that said yes.
"""

from datetime import datetime
from typing import NamedTuple

from django.db.models import Avg, Count, Q

from cityline.surveys.models import Survey, SurveyKind


def survey_get_by_id(*, survey_id: int) -> Survey | None:
    return Survey.objects.filter(pk=survey_id).select_related("request").first()


class ScoreRow(NamedTuple):
    group: str  # the group's code or name; "" for surveys outside any (no team, no agency)
    asked: int
    answered: int
    average_score: float | None
    fixed_share: float | None

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.asked if self.asked else None


# The groups the scores are counted by, and the column that names each survey's group.
GROUPS = {
    "team": "team",
    "channel": "contact_channel",
    "agency": "agency__code",
    "service_type": "service_type__code",
}


def survey_scores(
    *,
    start: datetime,
    end: datetime,
    by: str,
    kind: str | None = None,
    agency_code: str | None = None,
) -> list[ScoreRow]:
    """The scores of the surveys sent from `start` to `end` by group (`GROUPS`), most asked
    first; `kind` keeps one kind of survey, `agency_code` one agency's."""
    surveys = Survey.objects.filter(sent_at__gte=start, sent_at__lt=end)
    if kind is not None:
        surveys = surveys.filter(kind=kind)
    if agency_code is not None:
        surveys = surveys.filter(agency__code=agency_code)
    column = GROUPS[by]
    rows = (
        surveys.values(column)
        .annotate(
            asked=Count("id"),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            average_score=Avg("score", filter=Q(kind=SurveyKind.CONTACT)),
            fixed_yes=Count("id", filter=Q(fixed=True)),
            fixed_answers=Count("id", filter=Q(fixed__isnull=False)),
        )
        .order_by("-asked", column)
    )
    return [
        ScoreRow(
            group=row[column] or "",
            asked=row["asked"],
            answered=row["answered"],
            average_score=float(row["average_score"]) if row["average_score"] is not None else None,
            fixed_share=row["fixed_yes"] / row["fixed_answers"] if row["fixed_answers"] else None,
        )
        for row in rows
    ]


class ScoreTable(NamedTuple):
    by: str  # a key of GROUPS
    kind: str  # the kind of survey counted
    rows: list[ScoreRow]


# What each table counts: how the resident was served by team and channel (after contacts);
# whether the service was delivered by agency and service type (after closes).
_TABLES = [
    ("team", SurveyKind.CONTACT),
    ("channel", SurveyKind.CONTACT),
    ("agency", SurveyKind.SERVICE),
    ("service_type", SurveyKind.SERVICE),
]


def survey_score_tables(
    *, start: datetime, end: datetime, agency_code: str | None = None
) -> list[ScoreTable]:
    """The scores of a period as the figures pages show them; one agency's alone when it is
    named (its service types, and the contacts that concerned its requests)."""
    return [
        ScoreTable(
            by=by,
            kind=kind,
            rows=survey_scores(start=start, end=end, by=by, kind=kind, agency_code=agency_code),
        )
        for by, kind in _TABLES
        if not (agency_code and by == "agency")
    ]
