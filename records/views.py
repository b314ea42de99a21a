"""Merging duplicate people (issue 16 point 10) and subject access exports (issue 17)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from hub.access import get_person_for_user
from hub.audit import log_access
from hub.errors import DomainError
from hub.forms import PersonSearchForm
from hub.models import AccessLog, Person
from hub.personal_data import personal_data
from hub.views import querystring_without_page
from records import services
from records.access import get_person_for_subject_access
from records.forms import MergeForm, ReasonForm, SubjectAccessForm
from records.models import PersonMerge
from records.subject_access import subject_access_report


def _consulted(request, people, description: str) -> None:
    for person in people:
        log_access(
            request,
            action=AccessLog.Action.CONSULTATION,
            obj=person,
            person=person,
            description=description,
        )


def _put_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@personal_data("hub.person", "Opened the merge of a duplicate into this record")
@permission_required("records.merge_person", raise_exception=True)
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge a duplicate into this record: the person number and a reason, then a page that
    shows both records side by side to confirm, then the merge (records.services)."""
    kept = get_person_for_user(request.user, pk, write=True)
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            duplicate = get_person_for_user(request.user, form.cleaned_data["merged"])
        except Http404:
            form.add_error("merged", "There is no person with this number")
        else:
            if form.cleaned_data["confirm"]:
                return _merge(request, form, kept, duplicate)
            return _confirm_page(request, form, kept, duplicate)
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "page_title": "Merge a duplicate into this record",
            "caption": f"{kept.full_name} (person {kept.pk})",
            "back_url": reverse("hub:person_detail", args=[kept.pk]),
        },
    )


def _confirm_page(request, form, kept: Person, duplicate: Person) -> HttpResponse:
    _consulted(request, [kept, duplicate], "Compared two records to merge them")
    counts = [{"offences": p.offences.count(), "cases": p.cases.count()} for p in (kept, duplicate)]
    return render(
        request,
        "records/merge_confirm.html",
        {
            "kept": kept,
            "duplicate": duplicate,
            "form": form,
            "kept_counts": counts[0],
            "duplicate_counts": counts[1],
        },
    )


def _merge(request, form, kept: Person, duplicate: Person) -> HttpResponse:
    try:
        done = services.person_merge(
            user=request.user, kept=kept, merged=duplicate, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        _put_error(form, error)
        return _confirm_page(request, form, kept, duplicate)
    log_access(
        request,
        action=AccessLog.Action.ALTERATION,
        obj=done,
        person=duplicate,
        description=f"Merged person {duplicate.pk} into person {kept.pk}",
        justification=done.reason,
    )
    messages.success(request, f"Person {duplicate.pk} has been merged into this record")
    return redirect("hub:person_detail", pk=kept.pk)


@personal_data("hub.person", "Opened the undoing of a merge")
@permission_required("records.merge_person", raise_exception=True)
def unmerge(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo the merge of person `pk` (the duplicate) into the record it was merged into."""
    merged = get_person_for_user(request.user, pk)
    done = get_object_or_404(
        PersonMerge.objects.select_related("kept", "merged_by"),
        merged=merged,
        undone_at__isnull=True,
    )
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_unmerge(
                user=request.user, merge=done, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            _put_error(form, error)
        else:
            log_access(
                request,
                action=AccessLog.Action.ALTERATION,
                obj=done,
                person=merged,
                description=f"Undid the merge of person {merged.pk} into person {done.kept_id}",
                justification=form.cleaned_data["reason"],
            )
            messages.success(request, f"The merge of person {merged.pk} has been undone")
            return redirect("hub:person_detail", pk=done.kept_id)
    return render(request, "records/unmerge.html", {"form": form, "merge": done, "merged": merged})


@personal_data(
    "hub.person", "Searched people for a subject access request", many=True, only_with_query=True
)
@require_GET
@permission_required("records.subject_access", raise_exception=True)
def subject_access_search(request: HttpRequest) -> HttpResponse:
    """Find the person a subject access request is about: every record, merged and
    anonymised ones too (they are theirs as well)."""
    form = PersonSearchForm(request.GET or None)
    page_obj = None
    if form.has_criteria():
        results = Person.objects.search(**form.cleaned_data).select_related("district")
        page_obj = Paginator(results, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "records/subject_access_search.html",
        {
            "form": form,
            "page_obj": page_obj,
            "querystring_without_page": querystring_without_page(request),
        },
    )


@personal_data("hub.person", "Opened a subject access export")
@permission_required("records.subject_access", raise_exception=True)
def subject_access(request: HttpRequest, pk: int) -> HttpResponse:
    """Export everything held about a person (records.subject_access), as a printable page or
    a JSON file; each export is a disclosure in the access log with the request's reference."""
    person = get_person_for_subject_access(request.user, pk)
    form = SubjectAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = subject_access_report(person)
        file_format, reference = form.cleaned_data["file_format"], form.cleaned_data["reference"]
        log_access(
            request,
            action=AccessLog.Action.DISCLOSURE,
            obj=person,
            person=person,
            description=f"Subject access export ({file_format.upper()}): everything held",
            justification=f"Subject access request {reference}",
            recipient="The data subject (subject access request)",
        )
        if file_format == "json":
            response = JsonResponse(
                report, encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2}
            )
            response["Content-Disposition"] = (
                f'attachment; filename="subject-access-person-{person.pk}.json"'
            )
            return response
        return render(
            request,
            "records/subject_access_document.html",
            {"report": report, "reference": reference, "person": person},
        )
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "page_title": "Subject access export",
            "caption": f"{person.full_name} (person {person.pk})",
            "intro": "Everything the hub holds about this person and any record merged with "
            "them. The export is recorded in the access log as a disclosure.",
            "back_url": reverse("records:subject_access_search"),
        },
    )
