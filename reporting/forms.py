import datetime as dt

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.utils import timezone

from hub.datefields import GDSDateField
from hub.forms import gds_helper
from hub.models import ConditionType, District, ImportBatch, OffenceCategory


class DashboardFilterForm(forms.Form):
    """The dashboard's filters: a GET form, so that a view of the figures has its own URL."""

    date_from = GDSDateField(required=False, label="Cautions given from")
    date_to = GDSDateField(required=False, label="to")
    as_of = GDSDateField(
        required=False,
        label="Figures as at",
        help_text="Leave empty to use the date of the last reoffence import",
    )
    district = forms.ModelChoiceField(
        queryset=District.objects.all(), required=False, empty_label="All districts"
    )
    offence_category = forms.ModelChoiceField(
        queryset=OffenceCategory.objects.all(), required=False, empty_label="All offences"
    )
    condition_type = forms.ModelChoiceField(
        queryset=ConditionType.objects.all(),
        required=False,
        empty_label="All condition types",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            "date_from",
            "date_to",
            "as_of",
            Field.select("district"),
            Field.select("offence_category"),
            Field.select("condition_type"),
            submit="Apply filters",
        )
        self.helper.form_method = "get"
        self.helper.label_size = Size.SMALL

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end of the window must be on or after its start")
        today = timezone.localdate()
        if data.get("as_of") and data["as_of"] > today:
            self.add_error("as_of", "Figures as at a date in the future are not possible")
        return data


class ExportForm(forms.Form):
    justification = forms.CharField(
        label="Why do you need this download?",
        help_text="For example, the quarterly report to the Police and Crime Panel. "
        "Downloads are recorded in the access log.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )
    recipient = forms.CharField(
        label="Who will receive it? (optional)",
        required=False,
        max_length=200,
        help_text="Leave empty if it is for your own use",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper("justification", "recipient", submit="Download CSV")

    def clean_justification(self):
        value = self.cleaned_data["justification"].strip()
        if not value:
            raise forms.ValidationError("Enter why you need this download")
        return value


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="What does the file contain?",
        choices=ImportBatch.Kind.choices,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(label="CSV file", help_text="UTF-8 CSV with a header row")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.radios("kind"), "file", submit="Import")


def default_window(first_caution: dt.date | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """All cautions to date, from the start of the quarter of the first one."""
    if first_caution is None:
        return today.replace(year=today.year - 1), today
    start_month = (first_caution.month - 1) // 3 * 3 + 1
    return first_caution.replace(month=start_month, day=1), today
