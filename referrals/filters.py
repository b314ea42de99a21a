"""Inbox filters. Row visibility (own organisation) is applied before the FilterSet, and the
status tab after it, so the tab counts reflect the other filters."""

import django_filters
from crispy_forms_gds.layout import Field
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from hub.datefields import GDSDateField
from hub.forms import gds_helper
from referrals.models import Referral


class GDSDateFilter(django_filters.DateFilter):
    field_class = GDSDateField


class ReferralFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(method="filter_name", label="Person's name")
    assigned = django_filters.ChoiceFilter(
        method="filter_assigned",
        label="Caseworker",
        empty_label="Anyone",
        choices=[("me", "Assigned to me"), ("unassigned", "Not assigned")],
    )
    due_before = GDSDateFilter(field_name="due_date", lookup_expr="lte", label="Due on or before")
    sort = django_filters.ChoiceFilter(
        method="filter_sort",
        label="Sort by",
        empty_label="Due date, soonest first",
        choices=[
            ("-due", "Due date, latest first"),
            ("referred", "Referred, oldest first"),
            ("-referred", "Referred, newest first"),
            ("name", "Surname, A to Z"),
            ("-name", "Surname, Z to A"),
        ],
    )

    class Meta:
        model = Referral
        fields: list = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.form.helper = gds_helper(
            Field.text("name", field_width=20),
            "assigned",
            "due_before",
            "sort",
            submit="Apply",
        )
        self.form.helper.form_tag = False
        self.form.helper.disable_csrf = True

    def get_form_class(self):
        """The form class, built once: django-filter builds a new class (and a new field per
        filter) for every request. Its fields depend on nothing of the request (each form
        copies them, as any Django form does). A filter whose choices depend on the request
        (a ModelChoiceFilter with a callable queryset) would freeze the first user's choices
        into the class, so it is refused here; set such choices on the form in __init__."""
        cls = type(self)
        form_class = cls.__dict__.get("_form_class")
        if form_class is None:
            for name, filter_ in self.filters.items():
                if callable(getattr(filter_, "queryset", None)):
                    raise ImproperlyConfigured(
                        f"{cls.__qualname__}.{name}: choices read from the request cannot be "
                        "in a form class built once per process"
                    )
            form_class = cls._form_class = super().get_form_class()
        return form_class

    def filter_name(self, queryset, name, value):
        for part in value.split():
            queryset = queryset.filter(
                Q(case__person__first_name__icontains=part)
                | Q(case__person__last_name__icontains=part)
            )
        return queryset

    SORTS = {
        "-due": ["-due_date", "-pk"],
        "referred": ["created_at", "pk"],
        "-referred": ["-created_at", "-pk"],
        "name": ["case__person__last_name", "case__person__first_name", "pk"],
        "-name": ["-case__person__last_name", "-case__person__first_name", "-pk"],
    }

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*self.SORTS.get(value, ["due_date", "pk"]))

    def filter_assigned(self, queryset, name, value):
        if value == "me" and self.user is not None:
            return queryset.filter(assigned_to=self.user)
        if value == "unassigned":
            return queryset.filter(assigned_to__isnull=True)
        return queryset
