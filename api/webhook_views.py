"""Administrators register partners' webhooks, read the delivery log and redeliver."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from api import webhooks
from api.models import WebhookDelivery, WebhookSubscription
from api.webhook_forms import WebhookSubscriptionForm
from hub.personal_data import no_personal_data

MANAGE = "api.change_webhooksubscription"
NO_PERSON = "partners' webhook addresses and event deliveries, which name no person"


@no_personal_data(NO_PERSON)
@permission_required(MANAGE, raise_exception=True)
def webhook_list(request: HttpRequest) -> HttpResponse:
    form = WebhookSubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            webhooks.subscription_create(**form.cleaned_data, actor=request.user)
        except webhooks.WebhookError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, "Webhook added: events are sent to it from now on.")
            return redirect("webhooks:list")
    subscriptions = WebhookSubscription.objects.select_related("organisation")
    return render(
        request,
        "api/webhook_list.html",
        {
            "subscriptions": subscriptions,
            "form": form,
            "event_labels": dict(WebhookSubscription.Event.choices),
        },
    )


@no_personal_data(NO_PERSON)
@permission_required(MANAGE, raise_exception=True)
def delivery_list(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = get_object_or_404(
        WebhookSubscription.objects.select_related("organisation"), pk=pk
    )
    page_obj = Paginator(subscription.deliveries.order_by("-occurred_at", "-id"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "api/webhook_deliveries.html",
        {"subscription": subscription, "page_obj": page_obj, "querystring_without_page": ""},
    )


@no_personal_data(NO_PERSON)
@permission_required(MANAGE, raise_exception=True)
@require_POST
def redeliver(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(WebhookDelivery, pk=pk)
    try:
        webhooks.redeliver(delivery=delivery, actor=request.user)
    except webhooks.WebhookError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The event will be sent again in a moment.")
    return redirect("webhooks:deliveries", pk=delivery.subscription_id)
