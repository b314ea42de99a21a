"""s.62 logging as a property of the view layer: every view declares what it shows.

Every view of the project carries one of two declarations (tests/crosscutting/
test_personal_data_views.py fails for a URL whose view has neither, and checks that what a
view declares is what it logs):

    @personal_data("cautions.case", "Opened the eligibility check")
    @permission_required(...)
    def eligibility(request, pk): ...

    @no_personal_data("aggregates only, small cells suppressed")
    def dashboard(request): ...

A view declared with `personal_data` is logged after it has rendered a page (status 200),
once per page view, as a consultation (or the `action` given):
- one record (the default): the record its access helper returned (get_person_for_user,
  get_case_for_user, get_condition_for_user, get_breach_for_user, get_referral_for_user,
  get_session_for_user each call hub.audit.note_subject) with its person; the most specific
  one when several were read (a condition after its case);
- `many=True` (lists, searches, worklists): one entry for the page, not one per row; the
  address kept on the entry holds the filters and page shown. `only_with_query=True`: only
  when the address has criteria (a search form shown empty shows nobody).
A view that writes its own entry (hub.audit.log_access: a disclosure with its recipient and
reason, or a description naming exactly what was shown) is not logged a second time. Nothing
is logged for a refusal (403, 404), a redirect or a POST-only button. The entry costs one
INSERT built once per process (hub.audit), as before.

The Django admin's pages about people use PersonalDataAdmin (lists, change pages, history and
delete confirmations are logged); every other ModelAdmin of the project says why it shows no
personal data with a `no_personal_data = "reason"` attribute.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.contrib.admin.utils import unquote

from hub import audit
from hub.models import AccessLog

ATTRIBUTE = "personal_data_declaration"


@dataclass(frozen=True)
class Declaration:
    shows_personal_data: bool
    object_type: str = ""
    description: str = ""
    action: str = AccessLog.Action.CONSULTATION
    many: bool = False
    only_with_query: bool = False
    reason: str = ""


def _declare(view, declaration: Declaration):
    setattr(view, ATTRIBUTE, declaration)
    return view


def no_personal_data(reason: str):
    """Declare that the view shows no personal data, and why (the reason is for reviewers)."""
    if not reason.strip():
        raise ValueError("no_personal_data needs the reason the view shows none")

    def decorate(view):
        return _declare(view, Declaration(shows_personal_data=False, reason=reason))

    return decorate


def personal_data(
    object_type: str,
    description: str,
    *,
    action: str = AccessLog.Action.CONSULTATION,
    many: bool = False,
    only_with_query: bool = False,
):
    """Declare that the view shows personal data: each page it renders is logged (see the
    module docstring). `object_type` is the app_label.model of what it shows."""
    declaration = Declaration(
        shows_personal_data=True,
        object_type=object_type,
        description=description,
        action=action,
        many=many,
        only_with_query=only_with_query,
    )

    def decorate(view):
        @wraps(view)
        def logged_view(request, *args, **kwargs):
            page = audit.PageAudit()
            token = audit.current_page.set(page)
            try:
                response = view(request, *args, **kwargs)
            finally:
                audit.current_page.reset(token)
            if response.status_code == 200 and not page.logged:
                _log_page(request, declaration, page, kwargs)
            return response

        return _declare(logged_view, declaration)

    return decorate


def _has_query(request) -> bool:
    return any(key != "page" and value for key, value in request.GET.items())


def _log_page(request, declaration: Declaration, page: audit.PageAudit, kwargs: dict) -> None:
    if declaration.only_with_query and not _has_query(request):
        return
    if declaration.many or not page.subjects:
        # A list, or (defensively) a page whose record came through no access helper: the
        # entry still says who saw what kind of record, at which address.
        audit.log_access(
            request,
            action=declaration.action,
            object_type=declaration.object_type,
            object_id="" if declaration.many else kwargs.get("pk", ""),
            description=declaration.description,
        )
        return
    obj, person_id = page.subjects[-1]
    if person_id is None:
        person_id = next((pid for _obj, pid in page.subjects if pid is not None), None)
    reference = getattr(obj, "reference", "")
    audit.log_access(
        request,
        action=declaration.action,
        obj=obj,
        person_id=person_id,
        description=f"{declaration.description}: {reference}"
        if reference
        else declaration.description,
    )


def declaration_of(view) -> Declaration | None:
    """The declaration of a view function, a class-based view's as_view() function (on the
    class), or a ModelAdmin (PersonalDataAdmin, or a `no_personal_data` reason)."""
    found = getattr(view, ATTRIBUTE, None)
    if found is None and hasattr(view, "view_class"):
        found = getattr(view.view_class, ATTRIBUTE, None)
    if found is None and isinstance(getattr(view, "no_personal_data", None), str):
        found = Declaration(shows_personal_data=False, reason=view.no_personal_data)
    return found


class PersonalDataAdmin:
    """A ModelAdmin mixin (first among its bases) for models about people: the list, each
    change page, the history pages and the delete confirmation are consultations in the
    access log. `person_path` leads from the object to its person ("" when it is the person,
    "person", "case.person"...), read through the ids so that no person row is fetched."""

    person_path = "person"
    personal_data_declaration = Declaration(shows_personal_data=True, object_type="admin")

    def _person_id(self, obj) -> int | None:
        if not self.person_path:
            return obj.pk
        *path, last = self.person_path.split(".")
        for name in path:
            obj = getattr(obj, name, None)
            if obj is None:
                return None
        return getattr(obj, f"{last}_id", None)

    def _log(self, request, response, description: str, object_id=None):
        if response.status_code != 200:
            return response
        label = self.model._meta.label_lower
        if object_id is None:
            audit.log_access(
                request,
                action=AccessLog.Action.CONSULTATION,
                object_type=label,
                description=f"Admin: {description} {self.model._meta.verbose_name_plural}",
            )
            return response
        obj = self.get_object(request, unquote(str(object_id)))
        audit.log_access(
            request,
            action=AccessLog.Action.CONSULTATION,
            object_type=label,
            object_id=object_id,
            person_id=self._person_id(obj) if obj is not None else None,
            description=f"Admin: {description} {self.model._meta.verbose_name}",
        )
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        return self._log(request, response, "listed")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        return self._log(request, response, "viewed", object_id)

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        return self._log(request, response, "viewed the history of", object_id)

    def delete_view(self, request, object_id, extra_context=None):
        response = super().delete_view(request, object_id, extra_context)
        return self._log(request, response, "opened the deletion of", object_id)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # SimpleHistoryAdmin's page of one past version (unused by other ModelAdmins).
        response = super().history_form_view(request, object_id, version_id, extra_context)
        return self._log(request, response, "viewed a past version of", object_id)
