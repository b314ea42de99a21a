from django import forms

from hub.forms import gds_helper
from notifications.staff_models import Delivery


class PreferenceForm(forms.Form):
    delivery = forms.ChoiceField(
        label="How should we tell you of new notifications?",
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        help_text="Emails never name a person: they say that a case needs your attention.",
        error_messages={"required": "Choose how we should tell you of new notifications"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper("delivery", submit="Save")
