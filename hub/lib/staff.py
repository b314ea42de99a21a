"""Staff members as pages show them: by name (hub_tags.display_name)."""

from hub.lib.fields import under

STAFF_NAME = ("username", "first_name", "last_name")
# The rest of a user row (the password hash among it): never needed to show a name, so never
# fetched with a case, a referral or an event (fewer columns is less work for the ORM too).
STAFF_UNSHOWN = ("password", "last_login", "is_superuser", "email", "is_staff", "date_joined")


def staff_fields_unshown(*relations: str) -> list[str]:
    """For QuerySet.defer(): the unshown user fields of each selected staff relation."""
    return [path for relation in relations for path in under(relation, STAFF_UNSHOWN)]


def staff_name(first_name: str, last_name: str, username: str) -> str:
    """display_name from a user's columns (a values() row) rather than a User: what
    User.get_full_name() gives, or else the user name."""
    return f"{first_name} {last_name}".strip() or username
