from collections.abc import Iterable
from typing import TypeVar

from django.db import models
from django.db.models import QuerySet

from cityline.core.errors import DomainError


class BaseModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OutboxMessage(models.Model):
    """A side effect promised in the same transaction as the change that caused it.

    A worker claims a row with a conditional UPDATE, so two workers never deliver one message.
    """

    topic = models.CharField(max_length=100)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    available_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(
        max_length=32, blank=True, help_text="The claiming sweep's token."
    )
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            # The sweeper's query: undelivered messages whose time has come.
            models.Index(
                fields=["available_at"],
                name="outbox_pending_idx",
                condition=models.Q(delivered_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk}"


def max_length_of(model: type[models.Model], name: str) -> int:
    """The `max_length` of one of `model`'s text fields, for checks made before it is saved."""
    length = getattr(model._meta.get_field(name), "max_length", None)
    if length is None:
        raise TypeError(f"{model.__name__}.{name} has no max_length")
    return length


def max_length_check(model: type[models.Model], name: str, value: str) -> None:
    """Refuse, naming the field, a text longer than its column holds."""
    limit = max_length_of(model, name)
    if len(value) > limit:
        raise DomainError(f"at most {limit} characters", field=name)


M = TypeVar("M", bound=models.Model)


def objects_by_key(
    queryset: QuerySet[M], field: str, keys: Iterable[str]
) -> tuple[list[M], list[str]]:
    """The objects whose `field` is each of `keys`, in the keys' order and each once, read in
    one query; and the keys no object has."""
    keys = list(dict.fromkeys(keys))
    found = {getattr(obj, field): obj for obj in queryset.filter(**{f"{field}__in": keys})}
    return [found[key] for key in keys if key in found], [key for key in keys if key not in found]
