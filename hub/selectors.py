from django.db.models import QuerySet

from hub.models import AccessLog, Offence, Person


def person_offences(person: Person) -> QuerySet[Offence]:
    """A person's offences with their category, district and case (if any), newest first."""
    return person.offences.select_related("category", "district", "case").order_by(
        "-offence_date", "-id"
    )


def access_log_filtered(filters: dict) -> QuerySet[AccessLog]:
    entries = AccessLog.objects.select_related("user").order_by("-at", "-id")
    if filters.get("user"):
        entries = entries.filter(user__username__iexact=filters["user"].strip())
    if filters.get("person"):
        entries = entries.filter(person_id=filters["person"])
    if filters.get("action"):
        entries = entries.filter(action=filters["action"])
    if filters.get("date_from"):
        entries = entries.filter(at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        entries = entries.filter(at__date__lte=filters["date_to"])
    return entries
