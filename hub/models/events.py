from django.conf import settings
from django.db import models


class TransitionEvent(models.Model):
    """One row per state change of a record (a case, a referral), written by the app's service
    in the same transaction: who, when, what kind, from and to which status, and why. Each app
    adds the foreign key to its own record and an index on (record, -at)."""

    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for events recorded by the system (e.g. the overdue sweep)",
    )
    kind = models.CharField(max_length=50)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-id"]
