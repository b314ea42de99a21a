import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q

from cautions.models import Case
from hub.forms import StaffChoiceField
from hub.models import District, Organisation


class StaffChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = StaffChoiceField


class CaseFilter(django_filters.FilterSet):
    """Case list filters. Row visibility is applied to the queryset before this runs."""

    q = django_filters.CharFilter(method="search", label="Reference or name")
    status = django_filters.ChoiceFilter(choices=Case.Status.choices, empty_label="Any status")
    district = django_filters.ModelChoiceFilter(
        field_name="offence__district",
        queryset=District.objects.all(),
        empty_label="Any district",
    )
    # Police staff rather than "users with cases": the DISTINCT over every case cost ~90 ms a
    # page at 100,000 cases.
    officer = StaffChoiceFilter(
        queryset=get_user_model()
        .objects.filter(profile__organisation__kind=Organisation.Kind.POLICE_FORCE)
        .select_related("profile")
        .order_by("last_name", "first_name", "username"),
        empty_label="Any officer",
        label="Officer in charge",
    )

    class Meta:
        model = Case
        fields = ["q", "status", "district", "officer"]

    def search(self, queryset, name, value):
        for part in value.split():
            queryset = queryset.filter(
                Q(reference__icontains=part)
                | Q(person__first_name__icontains=part)
                | Q(person__last_name__icontains=part)
            )
        return queryset
