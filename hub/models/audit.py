"""Access log (Data Protection Act 2018 s.62): consultation, disclosure, alteration, erasure.

Changes to records are audited by their history tables (django-simple-history); this log
records who looked at or took away personal data, which history tables cannot show.
"""

from django.conf import settings
from django.db import models

from hub.models.people import Person


class AccessLog(models.Model):
    class Action(models.TextChoices):
        CONSULTATION = "consultation", "Consultation (viewed)"
        DISCLOSURE = "disclosure", "Disclosure (export, download or print)"
        ALTERATION = "alteration", "Alteration"
        ERASURE = "erasure", "Erasure (anonymisation)"
        # Every request of a superuser (the break-glass account), whatever it reads or does.
        BREAK_GLASS = "break_glass", "Break-glass use (superuser)"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # No single-column indexes on the two keys: the (user, -at) and (person, -at) indexes below
    # serve every lookup by either, and each index is one more write on every page view.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_index=False,
    )
    # The user name as it was when the entry was written: renaming an account must not
    # rewrite who the log says did something (issue 17). `user` still links the account.
    username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=50, blank=True)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="access_log",
        db_index=False,
    )
    description = models.CharField(max_length=300, blank=True)
    justification = models.TextField(blank=True)
    recipient = models.CharField(max_length=200, blank=True)
    path = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # Audit page filtered by user, newest first.
            models.Index(fields=["user", "-at"], name="accesslog_user_at_idx"),
            # Audit page filtered by person (who has looked at this person?).
            models.Index(fields=["person", "-at"], name="accesslog_person_at_idx"),
        ]
        permissions = [("export_accesslog", "Can export the access log")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(action="disclosure") | ~models.Q(recipient=""),
                name="accesslog_disclosure_names_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_type} {self.object_id}"
