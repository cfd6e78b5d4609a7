from typing import ClassVar

from django.db import models
from modeltranslation.manager import MultilingualManager

from cityline.core.models import BaseModel

# The models whose text is translated (`translation.py`) declare the manager django-modeltranslation
# would give them, so a query by a translated field (`name`) reads the active language's column.


class Agency(BaseModel):
    code = models.CharField(max_length=20, unique=True, help_text="Short code, e.g. DSNY.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    public_email = models.EmailField(blank=True)
    public_phone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    notification_email = models.EmailField(
        blank=True, help_text="Where the agency is told of each new request routed to it."
    )

    objects: ClassVar[MultilingualManager["Agency"]] = MultilingualManager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class ServiceGroup(BaseModel):
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    objects: ClassVar[MultilingualManager["ServiceGroup"]] = MultilingualManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RequestVisibility(models.TextChoices):
    """Whether a type's requests appear in public lists (Open311, open data)."""

    AS_INTAKE = "as_intake", "public if residents may file it, else hidden"
    PUBLIC = "public", "public"
    HIDDEN = "hidden", "hidden"


class NotFixedAction(models.TextChoices):
    """What follows when a resident says a closed request of the type is not fixed."""

    REOPEN = "reopen", "reopen it; its due time stays the first one"
    REOPEN_FRESH_SLA = "reopen_fresh_sla", "reopen it with a fresh due time"
    NEW_LINKED = "new_linked", "open a new request linked to it"


class OpenDataText(models.TextChoices):
    """How a type's free text (description, public notes) appears in the open-data export."""

    SCRUBBED = "scrubbed", "published with e-mail addresses, phone numbers and names removed"
    LEFT_OUT = "left_out", "left out"


class ServiceType(BaseModel):
    """An entry in the catalog: something a resident can ask the city to do."""

    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    group = models.ForeignKey(
        ServiceGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="service_types"
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="service_types",
        help_text="The owning agency, and the default when no routing rule matches.",
    )
    sla_policy = models.ForeignKey(
        "sla.SlaPolicy",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_types",
    )
    is_public = models.BooleanField(
        default=True, help_text="Residents may file it themselves; otherwise staff only."
    )
    is_active = models.BooleanField(default=True)
    request_visibility = models.CharField(
        max_length=20,
        choices=RequestVisibility.choices,
        default=RequestVisibility.AS_INTAKE,
        help_text="Whether its requests are listed publicly (staff-only types' are hidden "
        "unless set to public).",
    )
    not_fixed_window_days = models.PositiveIntegerField(
        default=14,
        help_text="For how many days after a request is closed anyone may say it is not fixed, "
        "on its tracking page; 0: never.",
    )
    not_fixed_action = models.CharField(
        max_length=20,
        choices=NotFixedAction.choices,
        default=NotFixedAction.REOPEN,
        help_text="What follows when someone says a closed request is not fixed.",
    )
    open_data_text = models.CharField(
        max_length=20,
        choices=OpenDataText.choices,
        default=OpenDataText.SCRUBBED,
        help_text="Whether its requests' descriptions and public notes appear in open data "
        "(scrubbed of e-mail addresses, phone numbers and names) or are left out.",
    )
    location_sensitive = models.BooleanField(
        default=False,
        help_text="Its requests reveal something about the people at the place (domestic "
        "matters, elder care): open data publishes only the centre of a coarse H3 cell, "
        "never the address or the exact point.",
    )

    objects: ClassVar[MultilingualManager["ServiceType"]] = MultilingualManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class ServiceTypeKeyword(BaseModel):
    """A word residents use for the service: 'sinkhole' and 'cave-in' for a pothole."""

    service_type = models.ForeignKey(ServiceType, on_delete=models.CASCADE, related_name="keywords")
    term = models.CharField(max_length=100)

    class Meta:
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_type", "term"], name="keyword_unique_per_type"
            ),
        ]

    def __str__(self) -> str:
        return self.term


class AttributeDatatype(models.TextChoices):
    STRING = "string", "string"
    NUMBER = "number", "number"
    DATETIME = "datetime", "datetime"
    TEXT = "text", "text"
    SINGLEVALUELIST = "singlevaluelist", "single value list"
    MULTIVALUELIST = "multivaluelist", "multi value list"


class ServiceAttribute(BaseModel):
    """An intake question, published as an Open311 attribute."""

    service_type = models.ForeignKey(
        ServiceType, on_delete=models.CASCADE, related_name="attributes"
    )
    code = models.CharField(max_length=64)
    description = models.TextField(help_text="The question as the resident reads it.")
    datatype = models.CharField(max_length=20, choices=AttributeDatatype.choices)
    datatype_description = models.CharField(max_length=255, blank=True)
    required = models.BooleanField(default=False)
    variable = models.BooleanField(
        default=True, help_text="False for a notice shown to the resident that takes no answer."
    )
    order = models.PositiveIntegerField(default=1)

    objects: ClassVar[MultilingualManager["ServiceAttribute"]] = MultilingualManager()

    class Meta:
        ordering = ["service_type", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_type", "code"], name="attribute_code_unique_per_type"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_type.code}/{self.code}"

    @property
    def is_list(self) -> bool:
        return self.datatype in (
            AttributeDatatype.SINGLEVALUELIST,
            AttributeDatatype.MULTIVALUELIST,
        )


class ServiceAttributeValue(BaseModel):
    attribute = models.ForeignKey(ServiceAttribute, on_delete=models.CASCADE, related_name="values")
    key = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=1)

    objects: ClassVar[MultilingualManager["ServiceAttributeValue"]] = MultilingualManager()

    class Meta:
        ordering = ["attribute", "order", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["attribute", "key"], name="value_key_unique_per_attribute"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.name}"


class RoutingRule(BaseModel):
    """Sends a service type's requests to another agency when the location or an answer matches.

    Rules are tried in `order`; the first whose every condition holds wins; with none, the type's
    own agency takes the request.
    """

    service_type = models.ForeignKey(
        ServiceType, on_delete=models.CASCADE, related_name="routing_rules"
    )
    order = models.PositiveIntegerField(default=1)
    area = models.ForeignKey(
        "geo.BoundaryArea",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="Matches when the request lies in this area.",
    )
    attribute_code = models.CharField(max_length=64, blank=True)
    attribute_value = models.CharField(
        max_length=64, blank=True, help_text="Matches when the answer is (or includes) this key."
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["service_type", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(area__isnull=False) | ~models.Q(attribute_code=""),
                name="routing_rule_has_a_condition",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_type.code} → {self.agency.code}"
