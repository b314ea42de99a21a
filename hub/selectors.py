from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from hub.models import AccessLog, Offence, Person

# Possible duplicates shown when a person is added: a few, the closest first.
DUPLICATE_CANDIDATES_SHOWN = 10


def person_offences(person: Person) -> QuerySet[Offence]:
    """A person's offences with their category, district and case (if any), newest first."""
    return person.offences.select_related("category", "district", "case").order_by(
        "-offence_date", "-id"
    )


def person_merged_people(person: Person) -> list[Person]:
    """The records merged into `person` (duplicates found later), for its page."""
    return list(person.merged_people.order_by("pk").only("pk", *Person.NAME_FIELDS))


def person_possible_duplicates(
    *, first_name: str = "", last_name: str = "", date_of_birth=None, pnc_id: str | None = None
) -> list[Person]:
    """People already held who may be the person about to be added (issue 16 point 10): the
    same first and last name (case ignored) and date of birth, or the same PNC ID (in its
    canonical form, hub.lib.pnc). Anonymised records identify no one and are left out. One
    query, by the name and PNC ID indexes."""
    match = Q()
    if first_name and last_name and date_of_birth:
        match |= Q(
            first_name__iexact=first_name.strip(),
            last_name__iexact=last_name.strip(),
            date_of_birth=date_of_birth,
        )
    if pnc_id:
        match |= Q(pnc_id__iexact=pnc_id.strip())
    if not match:
        return []
    people = Person.objects.current().filter(match, anonymised_at__isnull=True)
    people = people.select_related("district")
    return list(people.order_by("last_name", "first_name", "id")[:DUPLICATE_CANDIDATES_SHOWN])


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
        # A merged record and the one it was merged into find each other's entries.
        entries = entries.filter(person_id__in=Person.objects.merge_family_ids(filters["person"]))
    if filters.get("action"):
        entries = entries.filter(action=filters["action"])
    if filters.get("date_from"):
        entries = entries.filter(at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        entries = entries.filter(at__date__lte=filters["date_to"])
    return entries
