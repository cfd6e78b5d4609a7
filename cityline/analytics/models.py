"""Where the analytics store stands: how far the database has been read, and who is writing."""

from django.conf import settings
from django.db import models


class StoreState(models.Model):
    """One row: the watermark of the last refresh and the lease of the refresh under way.

    A refresh reads the requests with an id above `last_id` (imports keep their source's change
    times) or changed since `changed_through`, the instant the last refresh began, less an overlap
    for the transactions that were still open then. The lease is taken by a conditional
    UPDATE, so two refreshes at once, in any process, never write the store together.
    """

    last_id = models.BigIntegerField(default=0, help_text="The highest request id stored.")
    changed_through = models.DateTimeField(
        null=True, blank=True, help_text="When the last refresh began."
    )
    refreshed_at = models.DateTimeField(null=True, blank=True)
    contacts_last_id = models.BigIntegerField(default=0, help_text="The highest contact id stored.")
    contacts_changed_through = models.DateTimeField(
        null=True, blank=True, help_text="When the last refresh of contacts began."
    )
    lease_token = models.UUIDField(null=True, blank=True)
    leased_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "analytics store state"

    def __str__(self) -> str:
        return f"store through request {self.last_id}"


class Spike(models.Model):
    """A service type in a district receiving far more requests than usual (analytics/spikes.py).

    Raised once: while it lasts, each check that still finds the series unusual moves
    `last_seen_at` (and the highest count seen) on the same row, and only a check that finds it
    quiet ends it. The 311 supervisors are e-mailed when the row is created, so once per spike.
    """

    service_type = models.ForeignKey(
        "catalog.ServiceType", on_delete=models.CASCADE, related_name="+"
    )
    area = models.ForeignKey("geo.BoundaryArea", on_delete=models.CASCADE, related_name="+")
    window_start = models.DateTimeField(help_text="The start of the window first found unusual.")
    window_end = models.DateTimeField(help_text="The end of the window of the highest count.")
    observed = models.PositiveIntegerField(help_text="The most requests a window held.")
    expected = models.FloatField(help_text="The usual requests of that window.")
    tail_probability = models.FloatField(
        help_text="The chance of at least so many requests where so few are usual."
    )
    raised_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    ended_at = models.DateTimeField(
        null=True, blank=True, help_text="The first check that found it quiet."
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [
            # The console's list and its banner: the open spikes, then the newest past ones.
            models.Index(fields=["ended_at", "raised_at"], name="spike_open_raised_idx"),
        ]
        constraints = [
            # At most one open spike per series, whatever checks run at once: a second insert
            # fails, so a spike is raised (and e-mailed) once.
            models.UniqueConstraint(
                fields=["service_type", "area"],
                condition=models.Q(ended_at__isnull=True),
                name="spike_one_open_per_series",
            ),
        ]

    def __str__(self) -> str:
        return f"spike {self.pk}"
