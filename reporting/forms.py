import datetime as dt

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from hub.datefields import GDSDateField
from hub.forms import DisclosureForm, gds_helper
from hub.models import ConditionType, District, OffenceCategory
from reporting.import_jobs import kind_choices
from reporting.services import too_large_message

# No figures before this date: conditional cautions began in 2004, and every loop the dates
# drive (quarters, follow-up days) is bounded by it and today.
EARLIEST_REPORT_DATE = dt.date(2000, 1, 1)


def _bounded(value: dt.date | None) -> dt.date | None:
    if value is None:
        return value
    if value < EARLIEST_REPORT_DATE:
        raise forms.ValidationError(f"Enter a date on or after {EARLIEST_REPORT_DATE:%-d %B %Y}")
    if value > timezone.localdate():
        raise forms.ValidationError("Enter a date that is not in the future")
    return value


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

    def clean_date_from(self):
        return _bounded(self.cleaned_data["date_from"])

    def clean_date_to(self):
        return _bounded(self.cleaned_data["date_to"])

    def clean_as_of(self):
        return _bounded(self.cleaned_data["as_of"])

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end of the window must be on or after its start")
        return data


class ExportForm(DisclosureForm):
    example = "the quarterly report to the Police and Crime Panel"


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="What does the file contain?",
        choices=kind_choices,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(label="CSV file", help_text="UTF-8 CSV with a header row")

    def __init__(self, *args, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # The upload handler stopped an oversized file before it arrived: say why it is absent.
        self.too_large = too_large
        self.fields["file"].required = not too_large
        self.helper = gds_helper(Field.radios("kind"), "file", submit="Import")
        self.fields[
            "file"
        ].help_text = (
            f"UTF-8 CSV with a header row, up to {filesizeformat(settings.IMPORT_MAX_BYTES)}"
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if self.too_large or upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(too_large_message(settings.IMPORT_MAX_BYTES))
        return upload


def default_window(first_caution: dt.date | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """All cautions to date, from the start of the quarter of the first one."""
    if first_caution is None:
        return today.replace(year=today.year - 1), today
    start_month = (first_caution.month - 1) // 3 * 3 + 1
    return max(first_caution.replace(month=start_month, day=1), EARLIEST_REPORT_DATE), today


class MatchImportedForm(forms.Form):
    reason = forms.CharField(
        label="Why are these cases this person's?",
        help_text="For example, the PNC ID and date of birth agree and the custody record "
        "confirms the caution. The match is recorded in the access log.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Enter why these cases are this person's"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper("reason", submit="Match these cases to the person")
        self.helper.form_tag = False  # the page's form also carries the cases shown
