from crispy_forms_gds.layout import Field
from django import forms

from hub.forms import gds_helper


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Security code",
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        help_text="The 6-digit code shown in your authenticator app",
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, submit: str = "Continue", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.text("token", field_width=5), submit=submit)

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not (token.isdigit() and len(token) == 6):
            raise forms.ValidationError("Enter the 6-digit code from your authenticator app")
        return token


class EnrolmentCodeForm(forms.Form):
    enrolment_code = forms.CharField(
        label="Enrolment code",
        error_messages={"required": "Enter the enrolment code your administrator gave you"},
        help_text="12 letters and numbers, for example ABCD-EFGH-JKMN",
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.text("enrolment_code", field_width=10), submit="Continue")


class AccountActionForm(forms.Form):
    """An administrator's action on a staff account: the reason is recorded in the access log."""

    reason = forms.CharField(
        label="Reason",
        error_messages={"required": "Enter the reason"},
        help_text="Recorded in the access log, for example: lost phone, identity checked by call",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, action: str = "", submit: str = "Confirm", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper("reason", submit=submit)
        if action:
            self.helper.form_action = action

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter the reason")
        return reason


class AccessLogExportForm(forms.Form):
    """Exporting the access log is a disclosure: the reason is asked for and logged."""

    justification = forms.CharField(
        label="Why are you downloading these entries?",
        error_messages={"required": "Enter why you are downloading the access log"},
        help_text="Recorded in the access log, for example: ICO request reference 1234",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    recipient = forms.CharField(
        label="Who will receive the file (optional)",
        help_text="Leave empty if it stays with you",
        max_length=200,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper("justification", "recipient", submit="Download CSV")
        self.helper.form_tag = False

    def clean_justification(self) -> str:
        value = self.cleaned_data["justification"].strip()
        if not value:
            raise forms.ValidationError("Enter why you are downloading the access log")
        return value
