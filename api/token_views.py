"""Administrators see every API token (never the token itself) and revoke them."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from api.models import ApiToken
from api.tokens import TokenError
from api.tokens import token_revoke as revoke
from hub.personal_data import no_personal_data

MANAGE_TOKENS = "api.change_apitoken"


@no_personal_data("staff accounts' API tokens, not records of people in the workflow")
@permission_required(MANAGE_TOKENS, raise_exception=True)
@require_GET
def token_list(request: HttpRequest) -> HttpResponse:
    tokens = ApiToken.objects.select_related("user", "user__profile__organisation").order_by(
        "revoked_at", "-created_at", "-id"
    )
    page_obj = Paginator(tokens, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "api/token_list.html",
        {"page_obj": page_obj, "now": timezone.now(), "querystring_without_page": ""},
    )


@no_personal_data("revokes a token; no record of a person is shown")
@permission_required(MANAGE_TOKENS, raise_exception=True)
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk)
    try:
        revoke(token=token, actor=request.user)
    except TokenError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Token “{token.name}” revoked: it no longer works.")
    return redirect("api_tokens:token_list")
