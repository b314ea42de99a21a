"""The version a form was opened at (`expected_version`), required on every form that carries
it: a form sent without it, or with a value no page could have written, is refused with a
request to reload, never applied without the stale check and never a server error.

Form pages declare the field (cautions.forms.VersionedForm); a transition posted from a button
with no form page of its own (sending a case for authorisation) is wrapped in
`@version_required`.
"""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

RELOAD_MESSAGE = (
    "This page is out of date or incomplete: reload the page and try again. Nothing was saved."
)
# Versions count changes to one record: far below this. Anything larger was not written by a page.
MAX_VERSION = 2**31 - 1


def parse_version(value) -> int | None:
    """The version as an int, or None for anything a page could not have sent."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if number <= MAX_VERSION else None


def version_field() -> forms.IntegerField:
    """The hidden `expected_version` field: required, whole, in range; every error says reload."""
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        max_value=MAX_VERSION,
        error_messages={
            key: RELOAD_MESSAGE for key in ("required", "invalid", "min_value", "max_value")
        },
    )


def move_hidden_errors(form: forms.Form, *names: str) -> None:
    """Errors of hidden fields are shown nowhere on a GOV.UK page (the error summary lists the
    visible fields): put them at the top of the form instead, once."""
    moved = [error for name in names for error in form.errors.pop(name, [])]
    for error in dict.fromkeys(moved):
        form.add_error(None, error)


def version_required(view):
    """For a POST-only transition with no form page: without a good `expected_version` the
    user is sent back where they came from with RELOAD_MESSAGE, and the view is not run."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST" and parse_version(request.POST.get("expected_version")) is None:
            messages.error(request, RELOAD_MESSAGE)
            back = request.META.get("HTTP_REFERER", "")
            if not url_has_allowed_host_and_scheme(
                back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                back = "home"
            return redirect(back)
        return view(request, *args, **kwargs)

    return wrapped
