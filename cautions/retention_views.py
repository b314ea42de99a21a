"""Retention review pages for administrators (permission cautions.review_retention).

What the reviewer sees is what the decision needs, and no case record beyond it (issue 17,
separation of duties): the case reference, the offence category, the outcome and its date,
the review date, the person's number (to find their other cases and the access log), what
blocks disposal and the earlier decisions. Never the person's name, PNC ID, date of birth or
contact details: an administrator does not read case records. The review page is still a
logged consultation (the reference and outcome are about an identifiable person).

Served at /retention/ with the URL names security:retention_list and security:retention_review
they had before they moved here from hub (cautions/retention_urls.py, included by hub/urls.py).
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from cautions import retention
from cautions.models import RetentionDecision
from cautions.retention_forms import RetentionDecisionForm
from cautions.rules import retention_review_date
from hub.audit import log_access
from hub.models import AccessLog
from hub.personal_data import personal_data

REVIEW = "cautions.review_retention"


@personal_data("cautions.case", "Viewed the cases due for retention review", many=True)
@permission_required(REVIEW, raise_exception=True)
def retention_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    page_obj = Paginator(retention.cases_due(on=today), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "cautions/retention/list.html",
        {"page_obj": page_obj, "today": today, "querystring_without_page": ""},
    )


@personal_data("cautions.case", "Viewed case at retention review")
@permission_required(REVIEW, raise_exception=True)
def retention_review(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    # Only due cases can be reviewed; anything else is not found here.
    case = get_object_or_404(retention.cases_due(on=today), pk=pk)
    form = RetentionDecisionForm(
        request.POST or None,
        # Retained today: reviewed again after the same period as a case closed today.
        initial={"next_review_date": retention_review_date(today)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "retain":
                retention.retention_retain(
                    user=request.user,
                    case_id=case.pk,
                    reason=data["reason"],
                    next_review_date=data["next_review_date"],
                    on=today,
                )
                messages.success(
                    request,
                    f"Case {case.reference} is retained until {data['next_review_date']:%d/%m/%Y}",
                )
            else:
                retention.retention_dispose(
                    user=request.user, case_id=case.pk, reason=data["reason"], on=today
                )
                messages.success(
                    request, f"Disposed: the person of case {case.reference} is anonymised"
                )
            return redirect("security:retention_list")
        except retention.RetentionError as error:
            form.add_error(None, str(error))
    log_access(
        request,
        action=AccessLog.Action.CONSULTATION,
        obj=case,
        person=case.person,
        description="Viewed case at retention review",
    )
    return render(
        request,
        "cautions/retention/review.html",
        {
            "case": case,
            "form": form,
            "blockers": retention.disposal_blockers(case.person, on=today),
            "decisions": RetentionDecision.objects.filter(case=case).select_related("decided_by"),
        },
    )
