"""Where the analytics store stands: how far the database has been read, and who is writing."""

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
