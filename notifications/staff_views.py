"""Staff notifications: the list (newest first), following one (marks it read), marking all
read, and each user's choice of emails. A user only ever reaches their own notifications:
another user's is a 404."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from hub.personal_data import no_personal_data
from notifications import staff_services as services
from notifications.staff_context import can_be_notified
from notifications.staff_forms import PreferenceForm
from notifications.staff_models import StaffNotification

NO_PERSON = "staff notifications name no person (a case reference, a provider, a date)"
PAGE_SIZE = 50


def notified_staff_only(view):
    """Police and caseworkers; others (OPCC staff, administrators) are never notified."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not can_be_notified(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


@no_personal_data(NO_PERSON)
@notified_staff_only
def staff_list(request: HttpRequest) -> HttpResponse:
    page_obj = Paginator(services.for_user(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # The unread count is the header's (notifications.staff_context): counted once a page.
    return render(
        request,
        "notifications/staff_list.html",
        {"page_obj": page_obj, "querystring_without_page": ""},
    )


@no_personal_data(NO_PERSON + "; redirects to the page it is about")
@notified_staff_only
def staff_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(StaffNotification, pk=pk, user_id=request.user.pk)
    services.mark_read(notification=notification)
    link = notification.link
    if not url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        link = "notifications:staff_list"
    return redirect(link)


@no_personal_data(NO_PERSON)
@notified_staff_only
@require_POST
def staff_mark_all_read(request: HttpRequest) -> HttpResponse:
    marked = services.mark_all_read(user=request.user)
    if marked:
        messages.success(request, "All your notifications are marked as read.")
    return redirect("notifications:staff_list")


@no_personal_data("the user's own choice of emails")
@notified_staff_only
def staff_preferences(request: HttpRequest) -> HttpResponse:
    current = services.delivery_of(request.user)
    form = PreferenceForm(request.POST or None, initial={"delivery": current})
    if request.method == "POST" and form.is_valid():
        services.preference_set(user=request.user, delivery=form.cleaned_data["delivery"])
        messages.success(request, "Your choice of emails is saved.")
        return redirect("notifications:staff_list")
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "page_title": "Emails about notifications",
            "intro": "Everything is always listed on your notifications page. Choose whether "
            "we also email you.",
            "back_url": "/notifications/",
        },
    )
