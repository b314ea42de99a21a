"""The domain errors every app's services raise, so that one `except` catches them all.

Each app keeps its own names (`cautions.services.InvalidTransition`,
`referrals.services.InvalidTransition`, ...) built on these, so that
`except hub.errors.InvalidTransition` catches a refused transition whichever app refused it,
and `except hub.errors.DomainError` catches any refusal a user should read. Framework-free:
nothing here imports Django or another app.
"""

from __future__ import annotations


class DomainError(Exception):
    """A domain rule refused the action. `message` is shown to the user as it is; `field`
    names the input (and so the form field) it concerns, if any."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidTransition(DomainError):
    """The record is not in a state that allows the action; the message says which it is in."""


class RuleViolation(DomainError):
    """The input breaks a rule (a legal limit, a required answer)."""


class NotAllowed(DomainError):
    """The user's role, or their part in the record, does not allow the action."""


class StaleVersion(DomainError):
    """The record changed since the form was opened. `current_version` is the version now
    stored, so that the form can carry it when the user submits again."""

    def __init__(self, message: str, *, current_version: int, field: str | None = None):
        super().__init__(message, field=field)
        self.current_version = current_version
