"""Writing the s.62 access log.

Views declare whether they show personal data (hub.personal_data): a declared view's page is
logged once, after it is rendered, for the record its access helper returned (note_subject),
unless the view wrote an entry itself (log_access, for disclosures with their recipient and
reason, or a page that names what it showed more precisely).
"""

from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connections, router
from django.db.models.sql import InsertQuery

from hub.models import AccessLog, Person

_COLUMNS = (
    "at",
    "user",
    "username",
    "action",
    "object_type",
    "object_id",
    "person",
    "description",
    "justification",
    "recipient",
    "path",
)


@lru_cache(maxsize=4)
def _insert(alias: str) -> tuple[str, list]:
    """The INSERT for one entry, built by Django once per process and database: nearly every
    page writes an entry, and building the statement each time cost about as much as running
    it. Nothing reads the new row's id, so none is returned."""
    fields = [AccessLog._meta.get_field(name) for name in _COLUMNS]
    query = InsertQuery(AccessLog)
    query.insert_values(fields, [AccessLog()])
    [(sql, _)] = query.get_compiler(using=alias).as_sql()
    return sql, fields


@dataclass
class PageAudit:
    """What one declared view showed: the records its access helpers returned (in order) and
    whether it wrote an entry itself."""

    subjects: list = field(default_factory=list)
    logged: bool = False


# The page being served by a view declared with @personal_data (None outside one).
current_page: ContextVar[PageAudit | None] = ContextVar("hub_audit_page", default=None)


def note_subject(obj, *, person_id: int | None) -> None:
    """Called by the access helpers (get_case_for_user, ...) with what they return: the record
    a declared page shows, and the id of the person it is about (an id: reading the person
    would cost a query). Outside a declared view (services, commands) it does nothing."""
    page = current_page.get()
    if page is not None:
        page.subjects.append((obj, person_id))


def log_access(
    request,
    *,
    action: str,
    obj=None,
    object_type: str = "",
    object_id: str | int = "",
    person: Person | None = None,
    person_id: int | None = None,
    description: str = "",
    justification: str = "",
    recipient: str = "",
) -> None:
    page = current_page.get()
    if page is not None:
        page.logged = True
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    user = request.user if request.user.is_authenticated else None
    if action == AccessLog.Action.DISCLOSURE and not recipient and user is not None:
        # A download goes to the signed-in user's own device unless they name someone else.
        recipient = f"{user.get_username()} (own download)"
    entry = AccessLog(
        user=user,
        username=user.get_username() if user is not None else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        person_id=person.pk if person is not None else person_id,
        description=description[:300],
        justification=justification,
        recipient=recipient[:200],
        path=request.get_full_path()[:500],
    )
    # As entry.save() would write it (field defaults and conversions, "at" set now), without
    # its signals: an access log entry has no receivers.
    alias = router.db_for_write(AccessLog)
    connection = connections[alias]
    sql, fields = _insert(alias)
    values = [field.get_db_prep_save(field.pre_save(entry, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
