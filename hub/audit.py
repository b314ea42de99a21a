"""Writing the s.62 access log. Call it from the view that shows or hands over the data."""

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


def log_access(
    request,
    *,
    action: str,
    obj=None,
    object_type: str = "",
    object_id: str | int = "",
    person: Person | None = None,
    description: str = "",
    justification: str = "",
    recipient: str = "",
) -> None:
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
        person=person,
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
