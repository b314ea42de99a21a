import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.views.decorators.http import require_GET

from hub import roles, services
from hub.access import get_person_for_user, people_visible_to
from hub.audit import log_access
from hub.forms import (
    AccessLogFilterForm,
    OffenceForm,
    PersonCreateForm,
    PersonForm,
    PersonSearchForm,
    gds_helper,
)
from hub.lib import csvexport
from hub.models import AccessLog
from hub.personal_data import no_personal_data, personal_data
from hub.security.forms import AccessLogExportForm
from hub.selectors import (
    access_log_filtered,
    person_merged_people,
    person_offences,
    person_possible_duplicates,
)

PAGE_SIZE = 25


class SignInForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper("username", "password", submit="Sign in")
        # Autofocus skips the page's heading and text for screen-reader users (GOV.UK advice).
        self.fields["username"].widget.attrs.pop("autofocus", None)


def querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""


@no_personal_data("redirects to the home page of the user's role")
def home(request: HttpRequest) -> HttpResponse:
    return redirect(roles.home_url_name(request.user))


@no_personal_data("explains that the account has no role yet")
def no_role(request: HttpRequest) -> HttpResponse:
    return render(request, "hub/no_role.html")


@no_personal_data("the accessibility statement")
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "hub/accessibility.html")


@personal_data("hub.person", "Searched the person register", many=True, only_with_query=True)
@require_GET
@permission_required("hub.view_person", raise_exception=True)
def person_search(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.GET or None)
    page_obj = None
    if form.has_criteria():
        results = people_visible_to(request.user).search(**form.cleaned_data)
        results = results.select_related("district").filter(anonymised_at__isnull=True).current()
        page_obj = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "hub/person_search.html",
        {
            "form": form,
            "page_obj": page_obj,
            "querystring_without_page": querystring_without_page(request),
        },
    )


@personal_data(
    "hub.person",
    "Shown as a possible duplicate while adding a person",
    many=True,
    only_with_query=True,
)
@permission_required("hub.add_person", raise_exception=True)
def person_create(request: HttpRequest) -> HttpResponse:
    """Add a person, warning first of people already held who may be them (same name and
    date of birth, or same PNC ID): the form comes back with them, to use one of their
    records or to confirm a new one (the choice kept in the new person's history). Each
    person shown as a possible duplicate is a consultation in the access log."""
    form = PersonCreateForm(request.POST or None)
    candidates: list = []
    if request.method == "POST":
        valid = form.is_valid()
        candidates = person_possible_duplicates(**form.duplicate_keys())
        ids = {person.pk for person in candidates}
        if valid and (not ids or form.confirmed(ids)):
            person = services.person_create(
                user=request.user, data=form.person_data(), duplicates_dismissed=sorted(ids)
            )
            messages.success(request, f"{person.full_name} has been added")
            return redirect("hub:person_detail", pk=person.pk)
        if candidates:
            typed_pnc = form.duplicate_keys()["pnc_id"]
            form.ask_to_confirm(ids, may_add=not any(p.pnc_id == typed_pnc for p in candidates))
            for person in candidates:
                log_access(
                    request,
                    action=AccessLog.Action.CONSULTATION,
                    obj=person,
                    person=person,
                    description="Shown as a possible duplicate while adding a person",
                )
    return render(
        request,
        "hub/person_create.html",
        {
            "form": form,
            "candidates": candidates,
            "page_title": "Add a person",
            "back_url": reverse("hub:person_search"),
        },
    )


@personal_data("hub.person", "Viewed person page")
@permission_required("hub.view_person", raise_exception=True)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    log_access(
        request,
        action=AccessLog.Action.CONSULTATION,
        obj=person,
        person=person,
        description="Viewed person page",
    )
    return render(
        request,
        "hub/person_detail.html",
        {
            "person": person,
            "offences": person_offences(person),
            "merged_people": person_merged_people(person),
        },
    )


@personal_data("hub.person", "Opened the person's details to change them")
@permission_required("hub.change_person", raise_exception=True)
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, write=True)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        services.person_update(user=request.user, person=person, data=form.cleaned_data)
        messages.success(request, "The person's details have been updated")
        return redirect("hub:person_detail", pk=person.pk)
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "page_title": f"Change details: {person.full_name}",
            "back_url": reverse("hub:person_detail", args=[person.pk]),
        },
    )


@personal_data("hub.person", "Opened the form to record an offence")
@permission_required("hub.add_offence", raise_exception=True)
def offence_create(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, write=True)
    form = OffenceForm(request.POST or None, initial={"district": person.district_id})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            services.offence_record(user=request.user, person=person, data=form.cleaned_data)
        messages.success(request, "The offence has been recorded")
        return redirect("hub:person_detail", pk=person.pk)
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "page_title": "Record an offence",
            "caption": person.full_name,
            "back_url": reverse("hub:person_detail", args=[person.pk]),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@no_personal_data(
    "the access log itself (staff activity, person numbers); its download is logged as a disclosure"
)
@permission_required("hub.view_accesslog", raise_exception=True)
def audit_log(request: HttpRequest) -> HttpResponse:
    """The access log, filtered (GET), and its download (POST: the CSRF token and the reason
    travel in the body, never in an address that proxies, history and logs keep)."""
    source = request.POST if request.method == "POST" else request.GET
    form = AccessLogFilterForm(source or None)
    entries = access_log_filtered(form.cleaned_data if form.is_valid() else {})
    export_form = AccessLogExportForm()
    if request.method == "POST":
        if not request.user.has_perm("hub.export_accesslog"):
            raise PermissionDenied
        # The export is a disclosure: it needs a justification (security issue 6).
        export_form = AccessLogExportForm(request.POST)
        if export_form.is_valid() and not form.errors:
            return _audit_log_csv(request, entries, **export_form.cleaned_data)
    page_obj = Paginator(entries, 50).get_page(request.GET.get("page"))
    # The export form carries the current filters as hidden fields (a date as YYYY-MM-DD
    # under the field's own name, which the date input accepts in place of its three parts).
    export_filters = [
        (name, value.isoformat() if isinstance(value, dt.date) else value)
        for name, value in (form.cleaned_data.items() if form.is_valid() else ())
        if value not in (None, "")
    ]
    return render(
        request,
        "hub/audit_log.html",
        {
            "form": form,
            "page_obj": page_obj,
            "export_form": export_form,
            "export_filters": export_filters,
            "querystring_without_page": querystring_without_page(request),
        },
    )


def _audit_log_csv(
    request: HttpRequest, entries, *, justification: str, recipient: str = ""
) -> StreamingHttpResponse:
    # Exporting the log is itself a disclosure and is logged before the file is sent.
    log_access(
        request,
        action=AccessLog.Action.DISCLOSURE,
        object_type="hub.accesslog",
        description="Exported the access log",
        justification=justification,
        recipient=recipient,
    )
    writer = csvexport.writer(_Echo())
    header = [
        "at",
        "user",
        "action",
        "object_type",
        "object_id",
        "person_id",
        "description",
        "recipient",
        "justification",
        "path",
    ]

    def rows():
        yield writer.writerow(header)
        for entry in entries.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    entry.at.isoformat(),
                    entry.username,
                    entry.action,
                    entry.object_type,
                    entry.object_id,
                    entry.person_id or "",
                    entry.description,
                    entry.recipient,
                    entry.justification,
                    entry.path,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="access-log.csv"'
    return response


@no_personal_data("the server error page: the service's name only")
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: 500.html from the settings alone. The request's context processors (the
    user, their navigation) may be what failed, so none is run."""
    html = loader.get_template("500.html").render(
        {
            "service_name": settings.SERVICE_NAME,
            "force_name": settings.FORCE_NAME,
            "phase": settings.PHASE,
        }
    )
    return HttpResponse(html, status=500)
