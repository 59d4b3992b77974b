"""Rate limits: one counter row per (key, window), incremented by one atomic statement."""

from django.db import models


class Counter(models.Model):
    """How often one key (a client, a recipient) was used in one fixed window of time."""

    # SHA-256 of the secret key, the limit's scope and its subject: no address is stored.
    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["key", "window_start"], name="limits_counter_key_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key[:8]}… {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
