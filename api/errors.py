"""Every API error as JSON naming the field: {"errors": [{"field": ..., "message": ...}]}.

A domain refusal (hub.errors.DomainError: a transition not allowed in the current state, a
rule broken) is a 409 or 400 with its message, never a 500."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from hub import errors as domain


def _flatten(detail, field=None) -> list[dict]:
    if isinstance(detail, dict):
        found = []
        for key, value in detail.items():
            name = key if field is None else f"{field}.{key}"
            if key == "non_field_errors":
                name = field
            found.extend(_flatten(value, name))
        return found
    if isinstance(detail, list):
        found = []
        for index, value in enumerate(detail):
            name = field
            if isinstance(value, dict):
                name = f"{field}[{index}]" if field else str(index)
            found.extend(_flatten(value, name))
        return found
    return [{"field": field, "message": str(detail)}]


def api_exception_handler(exc, context):
    if isinstance(exc, domain.DomainError):
        if isinstance(exc, domain.NotAllowed):
            code = status.HTTP_403_FORBIDDEN
        elif isinstance(exc, domain.InvalidTransition | domain.StaleVersion):
            code = status.HTTP_409_CONFLICT
        else:
            code = status.HTTP_400_BAD_REQUEST
        field = getattr(exc, "field", None)
        return Response({"errors": [{"field": field, "message": str(exc)}]}, status=code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied("You do not have permission to do that.")
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"errors": _flatten(exc.detail)}
    else:
        response.data = {"errors": [{"field": None, "message": str(exc.detail)}]}
    return response
