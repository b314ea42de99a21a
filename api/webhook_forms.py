from crispy_forms_gds.layout import Field
from django import forms

from api.models import WebhookSubscription
from hub.forms import gds_helper
from hub.models import Organisation


class WebhookSubscriptionForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(active=True).exclude(kind=Organisation.Kind.OPCC),
        help_text="It receives events about its own referrals (a provider) or cases (the force).",
        error_messages={"required": "Choose the organisation"},
    )
    url = forms.URLField(
        label="Address (URL)",
        max_length=500,
        assume_scheme="https",
        help_text="HTTPS, on the public internet, for example https://cms.example.org/hub-events",
        error_messages={"required": "Enter the address", "invalid": "Enter a full web address"},
    )
    secret = forms.CharField(
        label="Shared secret",
        min_length=16,
        max_length=200,
        help_text="At least 16 characters. The partner checks each event's signature with it.",
        error_messages={
            "required": "Enter the shared secret",
            "min_length": "Use a shared secret of at least 16 characters",
        },
    )
    events = forms.MultipleChoiceField(
        choices=WebhookSubscription.Event.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            "organisation",
            Field.text("url"),
            Field.text("secret", field_width=20),
            Field.checkboxes("events"),
            submit="Add webhook",
        )


class RedeliverForm(forms.Form):
    pass
