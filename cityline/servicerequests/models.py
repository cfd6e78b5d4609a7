import uuid

from django.conf import settings
from django.db import models

from cityline.core import clock
from cityline.core.models import BaseModel


class Status(models.TextChoices):
    NEW = "new", "new"
    ACKNOWLEDGED = "acknowledged", "acknowledged"
    IN_PROGRESS = "in_progress", "in progress"
    WAITING_ON_REQUESTER = "waiting_on_requester", "waiting on the requester"
    WAITING_ON_THIRD_PARTY = "waiting_on_third_party", "waiting on a third party"
    CLOSED = "closed", "closed"


WAITING_STATUSES = frozenset({Status.WAITING_ON_REQUESTER, Status.WAITING_ON_THIRD_PARTY})


class Resolution(models.TextChoices):
    COMPLETED = "completed", "completed"
    DUPLICATE = "duplicate", "duplicate of another request"
    REFERRED = "referred", "referred / not the city's"
    UNABLE_TO_LOCATE = "unable_to_locate", "unable to locate"
    NO_ACTION_NEEDED = "no_action_needed", "no action needed"
    CANCELLED = "cancelled", "cancelled"


class Channel(models.TextChoices):
    PHONE = "phone", "phone"
    WEB = "web", "web portal"
    MOBILE = "mobile", "mobile app"
    EMAIL = "email", "email"
    SMS = "sms", "text message"
    WALK_IN = "walk_in", "walk-in counter"
    SOCIAL = "social", "social media"
    OPEN311 = "open311", "Open311 client"
    STAFF = "staff", "city staff"
    IMPORT = "import", "imported from another system"
    UNKNOWN = "unknown", "unknown"


class Priority(models.TextChoices):
    LOW = "low", "low"
    NORMAL = "normal", "normal"
    HIGH = "high", "high"
    URGENT = "urgent", "urgent"


class ServiceRequest(BaseModel):
    tracking_number = models.CharField(max_length=32, unique=True)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # No single-column indexes: sr_type_requested_idx and sr_agency_queue_idx lead with them.
    service_type = models.ForeignKey(
        "catalog.ServiceType", on_delete=models.PROTECT, related_name="requests", db_index=False
    )
    agency = models.ForeignKey(
        "catalog.Agency", on_delete=models.PROTECT, related_name="requests", db_index=False
    )
    description = models.TextField(blank=True)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.NEW)
    resolution = models.CharField(max_length=30, choices=Resolution.choices, blank=True)
    status_notes = models.TextField(blank=True, help_text="The latest public note on the status.")
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.UNKNOWN)

    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    address = models.CharField(max_length=255, blank=True)
    address_id = models.CharField(max_length=64, blank=True)
    zipcode = models.CharField(max_length=10, blank=True)
    h3_cell = models.CharField(max_length=16, blank=True)
    areas = models.ManyToManyField("geo.BoundaryArea", through="RequestArea", related_name="+")

    requested_at = models.DateTimeField(default=clock.now)
    # Not auto_now: an import keeps the source's own time of last change.
    updated_at = models.DateTimeField(default=clock.now)
    # SLA targets frozen at creation: the policy version they came from, the acknowledgement's
    # due time (the clock cannot pause before it: leaving "new" acknowledges), the resolution's
    # due time before any pause, and `expected_at`, that due time pushed back by the time spent
    # waiting (sla.rules.sla_due_times_from_history derives it from the history).
    sla_policy_version = models.ForeignKey(
        "sla.SlaPolicyVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    resolve_target_at = models.DateTimeField(null=True, blank=True)
    acknowledge_due_at = models.DateTimeField(null=True, blank=True)
    expected_at = models.DateTimeField(
        null=True, blank=True, help_text="The SLA due time of the resolution."
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    waiting_since = models.DateTimeField(null=True, blank=True)
    late_close_reason = models.ForeignKey(
        "sla.LateCloseReason",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    # Indexed where set only (Meta.indexes): imported requests leave these three empty.
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        db_index=False,
    )
    follow_up_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        db_index=False,
        help_text="The closed request a resident said was not fixed, which this one takes on.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    api_key = models.ForeignKey(
        "accounts.ApiKey",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    # Indexed where set only (Meta.indexes), like the assignee.
    crew = models.ForeignKey(
        "accounts.Crew",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    demand = models.PositiveIntegerField(
        default=1,
        help_text="Residents who asked for this: its reporter, its confirmed followers and the "
        "demand of the duplicates merged into it.",
    )
    proactive = models.BooleanField(
        default=False,
        help_text="Filed by the city itself (an inspector, a sweep, a model's output), not "
        "reported by a resident; counted apart wherever requests are counted.",
    )
    source = models.CharField(
        max_length=30, blank=True, help_text="Import source; blank if native."
    )
    source_id = models.CharField(  # noqa: DJ001 - null keeps native requests out of the unique key
        max_length=64, null=True, blank=True, help_text="The source's own key; null if native."
    )
    source_fields = models.JSONField(
        default=dict,
        blank=True,
        help_text="Fields of the import source kept as it wrote them (not intake answers).",
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            # Open311 GET requests: a window on requested time, newest first.
            models.Index(fields=["requested_at", "id"], name="sr_requested_idx"),
            # Open311 GET requests filtered by service code or status within a window, newest
            # first: with the id, PostgreSQL reads a page in index order and stops (SQLite's
            # indexes end with the rowid anyway).
            models.Index(
                fields=["service_type", "requested_at", "id"], name="sr_type_requested_idx"
            ),
            models.Index(fields=["status", "requested_at", "id"], name="sr_status_requested_idx"),
            # The public requests around an address (servicerequests.neighborhood), newest first.
            models.Index(fields=["h3_cell", "requested_at", "id"], name="sr_cell_requested_idx"),
            # A public map's viewport over a period: every column the map counts and filters on,
            # so its counts per H3 cell are read from this index alone
            # (servicerequests.neighborhood).
            models.Index(
                fields=[
                    "requested_at",
                    "latitude",
                    "longitude",
                    "h3_cell",
                    "service_type",
                    "status",
                ],
                name="sr_map_idx",
            ),
            # The analytics store's refresh: the requests changed since its last run.
            models.Index(fields=["updated_at"], name="sr_updated_idx"),
            # Agency work queues (open requests by due time); the admin's agency filter.
            models.Index(fields=["agency", "status", "expected_at"], name="sr_agency_queue_idx"),
            # Duplicates and follow-ups of a request, and the requests of a user or API key
            # (SET_NULL on delete): only where set, so imported requests, which set none, cost
            # nothing here.
            models.Index(
                fields=["parent"], name="sr_parent_idx", condition=models.Q(parent__isnull=False)
            ),
            models.Index(
                fields=["follow_up_of"],
                name="sr_follow_up_of_idx",
                condition=models.Q(follow_up_of__isnull=False),
            ),
            models.Index(
                fields=["created_by"],
                name="sr_created_by_idx",
                condition=models.Q(created_by__isnull=False),
            ),
            models.Index(
                fields=["api_key"], name="sr_api_key_idx", condition=models.Q(api_key__isnull=False)
            ),
            models.Index(
                fields=["assignee"],
                name="sr_assignee_idx",
                condition=models.Q(assignee__isnull=False),
            ),
            models.Index(
                fields=["crew"], name="sr_crew_idx", condition=models.Q(crew__isnull=False)
            ),
            # The SLA scan: the requests whose clock runs (open, not waiting), by due time; a
            # small part of a city's requests, so small indexes.
            models.Index(
                fields=["expected_at"],
                name="sr_sla_resolve_idx",
                condition=models.Q(
                    status__in=["new", "acknowledged", "in_progress"], expected_at__isnull=False
                ),
            ),
            models.Index(
                fields=["acknowledge_due_at"],
                name="sr_sla_acknowledge_idx",
                condition=models.Q(status="new", acknowledge_due_at__isnull=False),
            ),
            # Work queues (servicerequests.queues): every column their ranking and filters read,
            # over open requests only, so a queue's backlog is ranked from this index alone.
            # `closed_at IS NULL` has no parameter, so SQLite matches the condition to queries;
            # with the status second, SQLite prefers it to sr_agency_queue_idx, which it covers.
            # The service type third: the type filter seeks it under each open status, so both
            # databases read the type's open requests alone rather than the type's whole history
            # through sr_type_requested_idx.
            # closed_at (always null here) is listed because SQLite counts an index covering only
            # when it holds every column the query names; PostgreSQL reads `id` from it.
            models.Index(
                fields=[
                    "agency",
                    "status",
                    "service_type",
                    "expected_at",
                    "requested_at",
                    "waiting_since",
                    "assignee",
                    "proactive",
                    "closed_at",
                    "id",
                ],
                name="sr_open_queue_idx",
                condition=models.Q(closed_at__isnull=True),
            ),
            # Open requests near a place, newest first (the report form, the home page, the
            # desk), over open requests only, so the indexes stay small. SQLite plans without
            # statistics and takes an index that gives the order for the equality it serves: for
            # every type, this one's cells (probed, then the few rows sorted) rather than
            # sr_cell_requested_idx, which holds the cells' closed requests too; for one type,
            # the next, walking the type's open requests newest first with the cell read from
            # the index, rather than the type's whole history through sr_type_requested_idx.
            models.Index(
                fields=["h3_cell", "requested_at", "id", "service_type"],
                name="sr_open_cell_newest_idx",
                condition=models.Q(closed_at__isnull=True),
            ),
            models.Index(
                fields=["service_type", "requested_at", "id", "h3_cell"],
                name="sr_open_type_newest_idx",
                condition=models.Q(closed_at__isnull=True),
            ),
        ]
        constraints = [
            # A re-import updates in place (ON CONFLICT); native requests have a null source_id.
            models.UniqueConstraint(fields=["source", "source_id"], name="sr_source_id_unique"),
            models.CheckConstraint(
                condition=(
                    models.Q(status="closed", closed_at__isnull=False) & ~models.Q(resolution="")
                )
                | (~models.Q(status="closed") & models.Q(resolution="")),
                name="sr_closed_iff_resolved",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED


class RequestArea(models.Model):
    # Indexed by request_area_unique (request first) and request_area_by_area_idx (area first).
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, db_index=False)
    area = models.ForeignKey("geo.BoundaryArea", on_delete=models.CASCADE, db_index=False)

    class Meta:
        ordering = ["request", "area"]
        constraints = [
            models.UniqueConstraint(fields=["request", "area"], name="request_area_unique"),
        ]
        indexes = [
            # Every request in a district, newest first (district dashboards, liaisons' scope).
            models.Index(fields=["area", "request"], name="request_area_by_area_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} in {self.area_id}"


class Requester(BaseModel):
    """Who asked, kept apart from the request and never published."""

    request = models.OneToOneField(
        ServiceRequest, on_delete=models.CASCADE, related_name="requester"
    )
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # The phone's digits (`core.phones.phone_digits`), as the desk looks a caller up: the phone
    # itself is kept as the resident typed it.
    phone_digits = models.CharField(max_length=40, blank=True, editable=False)
    device_id = models.CharField(max_length=100, blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    wants_updates = models.BooleanField(default=False)
    language = models.CharField(
        max_length=10, blank=True, help_text="The language they asked in; messages use it."
    )
    # The secret in the stop link of the messages they opted in to. Null only for requesters
    # stored before it existed who had not opted in (they are sent nothing).
    updates_token = models.UUIDField(
        default=uuid.uuid4, unique=True, null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["id"]
        indexes = [
            # A caller's earlier requests, found on the contact center's desk.
            models.Index(
                fields=["email"], name="requester_email_idx", condition=~models.Q(email="")
            ),
            models.Index(
                fields=["phone_digits"],
                name="requester_phone_digits_idx",
                condition=~models.Q(phone_digits=""),
            ),
        ]

    def __str__(self) -> str:
        return f"requester of {self.request_id}"


class Follower(BaseModel):
    """A resident who wants to hear of a request they did not file, or whose own report was
    merged into it. Never published. Counted as demand once confirmed (double opt-in)."""

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="followers", db_index=False
    )
    email = models.EmailField()
    language = models.CharField(max_length=10, help_text="Messages are written in it.")
    # The secret in the confirmation and unsubscribe links.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            # Leads with the request: also the index of a request's followers.
            models.UniqueConstraint(fields=["request", "email"], name="follower_once_per_request"),
        ]

    def __str__(self) -> str:
        return f"follower of {self.request_id}"

    @property
    def is_subscribed(self) -> bool:
        return self.confirmed_at is not None and self.stopped_at is None


class RequestAnswer(models.Model):
    # Indexed by answer_once_per_question, which leads with it.
    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    attribute_code = models.CharField(max_length=64)
    value = models.JSONField(help_text="A string, or a list of keys for a multi-value question.")

    class Meta:
        ordering = ["request", "attribute_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "attribute_code"], name="answer_once_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attribute_code}={self.value}"


class Attachment(BaseModel):
    """A picture of the problem: a link given at intake, or a photo stored here. A stored photo is
    the re-encoded image (no EXIF, GPS included) and its thumbnail, kept in the media folder and
    served only through the photo view's access check; `media_url` is then that view's absolute
    address, so Open311 clients see it like any other."""

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    media_url = models.URLField(max_length=1000)
    photo = models.FileField(upload_to="photos/%Y/%m/", max_length=200, blank=True)
    thumbnail = models.FileField(upload_to="thumbnails/%Y/%m/", max_length=200, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.media_url


class ProactiveFiling(models.Model):
    """A proactive request filed from a batch row with an external id: the key that makes
    re-running a sweep's file file nothing twice. Rows without an id have none."""

    source = models.CharField(max_length=100, help_text="The sweep, model or file it came from.")
    external_id = models.CharField(max_length=200, help_text="The row's id within its source.")
    request = models.OneToOneField(
        ServiceRequest, on_delete=models.CASCADE, related_name="proactive_filing"
    )
    filed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="proactive_filing_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}/{self.external_id}"


class Visibility(models.TextChoices):
    PUBLIC = "public", "public"
    INTERNAL = "internal", "internal"


class UpdateKind(models.TextChoices):
    CREATED = "created", "created"
    STATUS_CHANGED = "status_changed", "status changed"
    NOTE = "note", "note"
    CLOSED = "closed", "closed"
    REOPENED = "reopened", "reopened"
    MARKED_DUPLICATE = "marked_duplicate", "marked duplicate"
    CITIZEN_UPDATE = "citizen_update", "update from the public"
    ASSIGNED = "assigned", "assigned"
    REASSIGNED = "reassigned", "moved to another agency"


class CitizenStatus(models.TextChoices):
    """What a member of the public says of the request, as FixMyStreet's Open311 clients send it
    with an update. Recorded for staff to read; the request's own status stays the agency's."""

    OPEN = "OPEN", "open"
    CLOSED = "CLOSED", "closed"
    FIXED = "FIXED", "fixed"
    IN_PROGRESS = "IN_PROGRESS", "in progress"
    ACTION_SCHEDULED = "ACTION_SCHEDULED", "action scheduled"
    INVESTIGATING = "INVESTIGATING", "investigating"
    DUPLICATE = "DUPLICATE", "duplicate"
    NOT_COUNCILS_RESPONSIBILITY = "NOT_COUNCILS_RESPONSIBILITY", "not the council's responsibility"
    NO_FURTHER_ACTION = "NO_FURTHER_ACTION", "no further action"
    INTERNAL_REFERRAL = "INTERNAL_REFERRAL", "internal referral"
    REOPEN = "REOPEN", "reopen"
    FOR_TRIAGE = "FOR_TRIAGE", "for triage"


class RequestUpdate(models.Model):
    """One entry in a request's append-only history. Written only by `events.py`."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=20, choices=UpdateKind.choices)
    status = models.CharField(max_length=30, choices=Status.choices)
    resolution = models.CharField(max_length=30, choices=Resolution.choices, blank=True)
    note = models.TextField(blank=True)
    media_url = models.URLField(max_length=1000, blank=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    # Indexed where set only (Meta.indexes): imported history sets neither.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    api_key = models.ForeignKey(
        "accounts.ApiKey",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    via = models.CharField(max_length=20, choices=Channel.choices)
    occurred_at = models.DateTimeField(default=clock.now)
    citizen_status = models.CharField(
        max_length=30,
        choices=CitizenStatus.choices,
        blank=True,
        help_text="On an update from the public: the status its sender gave (e.g. fixed).",
    )

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            # servicerequestupdates: public updates in a time window.
            models.Index(fields=["occurred_at", "id"], name="update_occurred_idx"),
            # Entries of a user or API key (SET_NULL on delete), where set.
            models.Index(
                fields=["author"],
                name="update_author_idx",
                condition=models.Q(author__isnull=False),
            ),
            models.Index(
                fields=["api_key"],
                name="update_api_key_idx",
                condition=models.Q(api_key__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind} at {self.occurred_at:%Y-%m-%d %H:%M}"
