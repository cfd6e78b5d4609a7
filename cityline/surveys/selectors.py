"""Reading surveys: one by its number, and the scores of a period by group.

Definitions (so a supervisor can check them by hand):
- asked: surveys sent in the period (by `sent_at`); answered: those answered since.
- response rate: answered over asked.
- average score: the mean of the 1 to 5 scores given after contacts.
- fixed share: of the answers to "was it fixed?", the share that said yes.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet

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


@dataclass(frozen=True)
class AnswerFilters:
    """Which answers: each field left None (or False) keeps every answer."""

    since: datetime | None = None  # answered at or after
    until: datetime | None = None  # answered before
    score: int | None = None
    channel: str | None = None  # the contact's or request's channel
    agency_code: str | None = None
    service_type_code: str | None = None
    team: str | None = None
    not_fixed_only: bool = False
    with_comment_only: bool = False


def survey_answers(
    *,
    agency_codes: frozenset[str] | None,
    filters: AnswerFilters,
    visible_requests: QuerySet | None = None,
) -> QuerySet[Survey]:
    """The answered surveys, newest answer first, of the agencies `agency_codes` names (None:
    every survey, those about no agency too). With `visible_requests` (the requests the reader
    may see), each survey's `request_visible` says whether its request is among them."""
    surveys = Survey.objects.filter(answered_at__isnull=False)
    if agency_codes is not None:
        surveys = surveys.filter(agency__code__in=agency_codes)
    f = filters
    if f.since is not None:
        surveys = surveys.filter(answered_at__gte=f.since)
    if f.until is not None:
        surveys = surveys.filter(answered_at__lt=f.until)
    if f.score is not None:
        surveys = surveys.filter(score=f.score)
    if f.channel:
        surveys = surveys.filter(contact_channel=f.channel)
    if f.agency_code:
        surveys = surveys.filter(agency__code=f.agency_code)
    if f.service_type_code:
        surveys = surveys.filter(service_type__code=f.service_type_code)
    if f.team:
        surveys = surveys.filter(team=f.team)
    if f.not_fixed_only:
        surveys = surveys.filter(fixed=False)
    if f.with_comment_only:
        surveys = surveys.exclude(comment="")
    if visible_requests is not None:
        surveys = surveys.annotate(
            request_visible=Exists(visible_requests.filter(pk=OuterRef("request_id")))
        )
    return surveys.select_related("agency", "service_type", "request").order_by(
        "-answered_at", "-id"
    )
