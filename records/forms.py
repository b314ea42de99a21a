from crispy_forms_gds.layout import Field
from django import forms

from hub.forms import gds_helper


class MergeForm(forms.Form):
    merged = forms.IntegerField(
        label="Person number of the duplicate record",
        help_text="Shown on the duplicate's page and in search results. Its cases and offences "
        "move to this record.",
        min_value=1,
        max_value=2**63 - 1,
    )
    reason = forms.CharField(
        label="Why these two records are the same person",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("merged", field_width=10), "reason", "confirm", submit="Continue"
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why the merge is being undone",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )

    def __init__(self, *args, submit: str = "Undo the merge", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper("reason", submit=submit)


class SubjectAccessForm(forms.Form):
    reference = forms.CharField(
        label="Reference of the subject access request",
        help_text="For example SAR-2026-014. Recorded with the export in the access log.",
        max_length=100,
    )
    file_format = forms.ChoiceField(
        label="Format",
        choices=[
            ("html", "Readable document (to print or save as PDF)"),
            ("json", "Machine-readable file (JSON)"),
        ],
        widget=forms.RadioSelect,
        initial="html",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("reference", field_width=20),
            Field.radios("file_format"),
            submit="Export",
        )
