"""Writing the s.62 access log. Call it from the view that shows or hands over the data."""

from hub.models import AccessLog, Person


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
) -> AccessLog:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    user = request.user if request.user.is_authenticated else None
    if action == AccessLog.Action.DISCLOSURE and not recipient and user is not None:
        # A download goes to the signed-in user's own device unless they name someone else.
        recipient = f"{user.get_username()} (own download)"
    return AccessLog.objects.create(
        user=user,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        person=person,
        description=description[:300],
        justification=justification,
        recipient=recipient[:200],
        path=request.get_full_path()[:500],
    )
