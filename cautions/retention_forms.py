"""The retention review decision form (cautions/retention_views.py)."""

from crispy_forms_gds.layout import Field
from django import forms

from hub.datefields import GDSDateField
from hub.forms import gds_helper


class RetentionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            ("retain", "Retain: keep the record and review it again later"),
            ("dispose", "Dispose: anonymise the person"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose retain or dispose"},
    )
    reason = forms.CharField(
        label="Reason for the decision",
        error_messages={"required": "Enter the reason for the decision"},
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    next_review_date = GDSDateField(
        label="Next review date (if retained)",
        required=False,
        help_text="For example, 27 3 2031",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.radios("decision"), "reason", "next_review_date", submit="Record decision"
        )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter the reason for the decision")
        return reason

    def clean(self):
        data = super().clean()
        if data.get("decision") == "retain" and not data.get("next_review_date"):
            self.add_error("next_review_date", "Enter the date of the next review")
        if data.get("next_review_date") and data["next_review_date"].year > 2200:
            self.add_error("next_review_date", "Enter a date before 2200")
        return data
