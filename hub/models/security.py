"""Two-factor enrolment codes and wrong-code records (issue 17: a second factor planted with a
password alone; wrong codes used to hold up the real user). See hub/security/enrolment.py and
hub/security/throttle.py."""

from django.conf import settings
from django.db import models


class EnrolmentCode(models.Model):
    """A one-time code an administrator gives a user so that they can set up an authenticator
    on an account that has none. Only its SHA-256 is kept; it is shown once when issued."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    # Null when issued from the command line (manage.py issue_enrolment_code).
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("issued_at")),
                name="enrolmentcode_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"Enrolment code for user {self.user_id} (expires {self.expires_at:%Y-%m-%d %H:%M})"


class TwoFactorFailure(models.Model):
    """One wrong code (an authenticator code at sign-in or set-up, or an enrolment code): the
    throttles count these per session, per address and per account over a short window."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", "Authenticator code at sign-in"
        SET_UP = "set_up", "Authenticator code at set-up"
        ENROLMENT = "enrolment", "Enrolment code"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # SHA-256 of the session key (the key itself is a credential and is not stored).
    session = models.CharField(max_length=64)
    address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        indexes = [
            # Throttle per session, per address and per account, over the last minutes.
            models.Index(fields=["session", "at"], name="twofactorfailure_session_idx"),
            models.Index(fields=["address", "at"], name="twofactorfailure_address_idx"),
            models.Index(fields=["user", "at"], name="twofactorfailure_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} user {self.user_id}"
