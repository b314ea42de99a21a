"""Forms validate the shape of what was typed; notifications.services validates the domain."""

from django import forms

from hub import errors
from hub.forms import gds_helper
from notifications.models import Channel
from notifications.services import normalise_uk_mobile


class ConsentForm(forms.Form):
    channel = forms.ChoiceField(
        label="How do they want their reminders?",
        choices=Channel.choices,
        widget=forms.RadioSelect,
    )
    phone = forms.CharField(
        label="Mobile number",
        required=False,
        max_length=20,
        help_text="For text messages. A UK mobile number, like 07700 900 982",
    )
    email = forms.EmailField(
        label="Email address", required=False, max_length=254, help_text="For emails"
    )
    two_hours_before = forms.BooleanField(
        required=False,
        label="Also remind them two hours before each appointment",
        help_text="They always get a reminder the day before",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            "channel", "phone", "email", "two_hours_before", submit="Save consent"
        )

    def clean(self):
        data = super().clean()
        channel = data.get("channel")
        if channel == Channel.SMS:
            try:
                data["phone"] = normalise_uk_mobile(data.get("phone", ""))
            except errors.RuleViolation as error:
                self.add_error("phone", error.message)
        elif channel == Channel.EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Enter an email address")
        return data


class WithdrawForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(submit="Stop reminders")
