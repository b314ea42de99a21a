"""A person's reminders and consent, the outbox, and Notify's delivery receipts (issue 18)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from hub.errors import DomainError
from hub.personal_data import personal_data
from notifications import receipts, selectors, services
from notifications.access import get_person_for_reminders
from notifications.forms import ConsentForm, WithdrawForm
from notifications.models import Channel
from notifications.selectors import reminder_summary

# The receipts endpoint lives in notifications.receipts; re-exported for the URLs.
notify_callback = receipts.notify_callback


def _reminders_url(person) -> str:
    return reverse("notifications:reminders", args=[person.pk])


@personal_data("hub.person", "Viewed reminders and consent")
@require_GET
@permission_required("notifications.view_contactconsent", raise_exception=True)
def reminders(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_reminders(request.user, pk)
    summary = reminder_summary(person.pk)
    return render(
        request,
        "notifications/reminders.html",
        {
            "person": person,
            "summary": summary,
            "history": selectors.consent_history(person.pk),
            "person_messages": selectors.messages_for_person(person.pk),
            "can_record": request.user.has_perm("notifications.add_contactconsent"),
        },
    )


@personal_data("hub.person", "Opened the reminders consent form")
@require_http_methods(["GET", "POST"])
@permission_required("notifications.add_contactconsent", raise_exception=True)
def consent_record(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_reminders(request.user, pk, write=True)
    current = reminder_summary(person.pk).consent
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if form.is_valid():
            try:
                services.consent_record(person=person, user=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, "Consent to reminders recorded")
                return redirect(_reminders_url(person))
    else:
        form = ConsentForm(initial=_initial(person, current))
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "page_title": "Record consent to reminders",
            "caption": person.full_name,
            "intro": "Ask the person how they want reminders of their appointments and of what "
            "they agreed to do. Messages never mention the police or why they are being helped.",
            "back_url": _reminders_url(person),
        },
    )


def _initial(person, current) -> dict:
    if current is not None:
        return {
            "channel": current.channel,
            "phone": current.phone,
            "email": current.email,
            "two_hours_before": current.two_hours_before,
        }
    return {"channel": Channel.SMS, "phone": person.phone, "email": person.email}


@personal_data("hub.person", "Opened the form to stop reminders")
@require_http_methods(["GET", "POST"])
@permission_required("notifications.add_contactconsent", raise_exception=True)
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_reminders(request.user, pk, write=True)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST":
        try:
            services.consent_withdraw(person=person, user=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Reminders stopped: no more messages will be sent")
        return redirect(_reminders_url(person))
    return render(
        request,
        "components/form_page.html",
        {
            "form": form,
            "page_title": "Stop reminders",
            "caption": person.full_name,
            "intro": "The person will get no more reminders, including any waiting to be sent. "
            "You can record their consent again at any time.",
            "back_url": _reminders_url(person),
        },
    )


@personal_data("notifications.message", "Read the outbox of messages not sent", many=True)
@require_GET
@permission_required("notifications.view_outbox", raise_exception=True)
def outbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.outbox_messages(), 50).get_page(request.GET.get("page"))
    return render(request, "notifications/outbox.html", {"page_obj": page})
