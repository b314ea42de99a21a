"""The cache of rendered GET filter forms ({% filter_form %}, hub.templatetags.hub_tags).

Rendering a crispy GOV.UK form is a template per field, per widget and per option: the
dashboard's filters took 7-20 ms and the inbox's 6 ms, more than the rest of either page
(README, "Performance settings"). The HTML of a valid form is a function of what it is made
of, so it is cached under a key that covers all of that:

- the form's class and the values submitted;
- every field as this form instance has it: label, help text, required, initial, widget
  and its attributes, and the choices offered: a ChoiceField's list as given, a
  ModelChoiceField's queryset as SQL with its parameters (a queryset filtered by the user's
  organisation is another key, so one provider never sees another's staff);
- the crispy helper (layout, sizes, attributes) and the form's own attributes; a model
  instance kept on the form (a user, say) is keyed by its id.

What the key cannot describe fails loudly: an object of a type it does not know, found on
the form, a field, a widget or the helper, raises ImproperlyConfigured naming it and where it
is. Rows read by a ModelChoiceField's queryset (reference data an administrator edits) show
within REPORT_CACHE_SECONDS, as the dashboard's figures do. A form with errors is never
cached. The template context is not passed to the form's rendering, so nothing of the request
or session (a CSRF token) can be in it.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
from urllib.parse import urlencode

from crispy_forms.utils import render_crispy_form
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db.models import Model, Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import Promise

# A form's own attributes that do not shape the HTML of a valid form, or are keyed apart
# (the submitted values).
_FORM_UNSHAPING = frozenset(
    {"data", "files", "cleaned_data", "_errors", "_bound_fields_cache", "renderer", "fields"}
)
# A field's attributes that show only with errors, which are never cached.
_FIELD_UNSHAPING = frozenset({"error_messages", "validators"})

_PLAIN = (str, bool, int, float, type(None))


def render(form) -> str:
    """The form's HTML as crispy-forms renders it, from the cache when it was rendered
    before with everything that shapes it the same."""
    if form.is_bound and not form.is_valid():
        return render_crispy_form(form)
    key = cache_key(form)
    html = cache.get(key)
    if html is None:
        html = render_crispy_form(form)
        cache.set(key, html, settings.REPORT_CACHE_SECONDS)
    return html  # crispy's SafeString, which the cache keeps as such


def cache_key(form) -> str:
    cls = type(form)
    data = form.data if form.is_bound else {}
    # request.GET (a QueryDict: several values a name) or a plain dict
    pairs = data.lists() if hasattr(data, "lists") else ((k, [v]) for k, v in data.items())
    shape = (
        urlencode(sorted(pairs), doseq=True),
        _shape(_attributes(form, _FORM_UNSHAPING), "form"),
        tuple((name, _shape(field, f"field {name}")) for name, field in form.fields.items()),
        getattr(form, "prefix", None),
    )
    digest = hashlib.sha256(repr(shape).encode()).hexdigest()
    return f"filter-form:{cls.__module__}.{cls.__qualname__}:{digest}"


def _attributes(obj, leave_out=frozenset()) -> dict:
    return {k: v for k, v in vars(obj).items() if k not in leave_out}


def _shape(value, where: str):
    """A plain, repeatable description of `value` (no object ids), or ImproperlyConfigured."""
    for kinds, describe in _DESCRIPTIONS:
        if isinstance(value, kinds):
            return describe(value, where)
    if type(value).__module__.startswith("crispy_forms"):  # the helper, layout objects
        return _object_shape(value, where)
    if callable(value):  # an initial value given as a function (today's date, say)
        return ("called", _shape(value(), where))
    raise ImproperlyConfigured(
        f"filter_form cannot tell how the {type(value).__qualname__} at {where} of this form "
        "shapes its HTML, so cannot cache it safely: keep it off the form, or render the form "
        "with {% crispy %} instead."
    )


def _sequence_shape(value, where: str):
    items = [_shape(item, where) for item in value]
    return tuple(sorted(items, key=repr) if isinstance(value, set | frozenset) else items)


def _dict_shape(value: dict, where: str):
    return tuple(sorted((str(k), _shape(v, f"{where}.{k}")) for k, v in value.items()))


def _object_shape(value, where: str, leave_out=frozenset()):
    cls = type(value)
    attributes = _attributes(value, leave_out)
    return (cls.__module__, cls.__qualname__, _shape(attributes, where))


def _model_choices_shape(value: ModelChoiceIterator, _where: str):
    # A ModelChoiceField's widget iterates the field's own queryset, described with the field
    # (building its SQL twice would double the key's cost).
    if value.queryset is getattr(value.field, "_queryset", None):
        return ("choices", "the field's queryset")
    return ("choices", _queryset_shape(value.queryset))


def _queryset_shape(queryset: QuerySet):
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return ("no rows", queryset.model._meta.label)
    return ("rows", queryset.db, sql, tuple(str(p) for p in params))


# (kinds of value, how each is described), the first that matches; order matters (a
# ModelChoiceIterator is a BaseChoiceIterator, a bool an int).
_DESCRIPTIONS = (
    (_PLAIN, lambda value, _where: value),
    # lazy translations, dates, times, decimals: as text
    ((Promise, dt.date, dt.time, decimal.Decimal), lambda value, _where: str(value)),
    ((list, tuple, set, frozenset), _sequence_shape),
    (dict, _dict_shape),
    (QuerySet, lambda value, _where: _queryset_shape(value)),
    (ModelChoiceIterator, _model_choices_shape),
    # choices given as a callable, or by django-filter
    (BaseChoiceIterator, lambda value, where: ("choices", _shape(list(value), where))),
    (Model, lambda value, _where: ("row", value._meta.label, value.pk)),
    (Q, lambda value, _where: ("Q", str(value))),
    (type, lambda value, _where: ("class", value.__module__, value.__qualname__)),
    (forms.Field, lambda value, where: _object_shape(value, where, _FIELD_UNSHAPING)),
    (forms.Widget, _object_shape),
)
