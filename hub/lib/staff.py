"""Staff members as pages show them: by name (hub_tags.display_name)."""

from hub.lib.fields import under

STAFF_NAME = ("username", "first_name", "last_name")
# The rest of a user row (the password hash among it): never needed to show a name, so never
# fetched with a case, a referral or an event (fewer columns is less work for the ORM too).
STAFF_UNSHOWN = ("password", "last_login", "is_superuser", "email", "is_staff", "date_joined")


def staff_fields_unshown(*relations: str) -> list[str]:
    """For QuerySet.defer(): the unshown user fields of each selected staff relation."""
    return [path for relation in relations for path in under(relation, STAFF_UNSHOWN)]


# How a rank is written before a name ("Sgt Tom Baker"), by hub.models.Rank value.
RANK_TITLES = {
    "constable": "PC",
    "sergeant": "Sgt",
    "inspector": "Insp",
    "chief_inspector": "Ch Insp",
    "superintendent": "Supt",
}


def staff_name(first_name: str, last_name: str, username: str, rank: str = "") -> str:
    """display_name from a user's columns (a values() row) rather than a User: what
    User.get_full_name() gives, after the rank's title when there is one, or else the user
    name."""
    name = f"{first_name} {last_name}".strip()
    if not name:
        return username
    title = RANK_TITLES.get(rank or "")
    return f"{title} {name}" if title else name


def user_display_name(user) -> str:
    """A User's name as pages show it, with the rank of its staff profile when the profile
    was fetched with it (select_related("...profile")): never a query per name."""
    if user is None:
        return ""
    profile = user._state.fields_cache.get("profile")
    rank = getattr(profile, "rank", "") if profile is not None else ""
    return staff_name(user.first_name, user.last_name, user.get_username(), rank)
