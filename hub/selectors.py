from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from hub.models import AccessLog, Offence, Person


def person_offences(person: Person) -> QuerySet[Offence]:
    """A person's offences with their category, district and case (if any), newest first."""
    return person.offences.select_related("category", "district", "case").order_by(
        "-offence_date", "-id"
    )


def _by_user_name(entries: QuerySet[AccessLog], name: str) -> QuerySet[AccessLog]:
    """Entries of the account that has this name now (all of them, those written under an
    earlier name too: by the indexed user key), or else of whoever had this name when the
    entry was written (an account since renamed or removed: the name kept on each entry)."""
    accounts = get_user_model().objects.filter(username__iexact=name).values("pk")
    if accounts.exists():
        return entries.filter(user__in=accounts)
    return entries.filter(username__iexact=name)


def access_log_filtered(filters: dict) -> QuerySet[AccessLog]:
    entries = AccessLog.objects.order_by("-at", "-id")
    if filters.get("user"):
        entries = _by_user_name(entries, filters["user"].strip())
    if filters.get("person"):
        entries = entries.filter(person_id=filters["person"])
    if filters.get("action"):
        entries = entries.filter(action=filters["action"])
    if filters.get("date_from"):
        entries = entries.filter(at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        entries = entries.filter(at__date__lte=filters["date_to"])
    return entries
