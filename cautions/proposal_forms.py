"""Forms of the proposal of conditions, of the authorising officer's decision on them, and of
the victim told of the outcome."""

from __future__ import annotations

import datetime as dt

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.utils import timezone

from cautions.forms import VersionedForm
from cautions.models import VictimInformed
from hub.datefields import GDSDateField
from hub.forms import GDSTimeInput


class ProposalForm(VersionedForm):
    """The victim's requested action, carried into the conditions or left out with a reason
    (the conditions themselves are the page's condition formset)."""

    victim_action_included = forms.BooleanField(
        label="The proposed conditions carry out the victim's requested action",
        required=False,
    )
    victim_action_omitted_reason = forms.CharField(
        label="Why the victim's requested action is not included",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when the victim asked for an action the conditions leave out "
        "(Criminal Justice Act 2003 s.23ZA)",
    )

    def __init__(self, *args, requested_action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        fields = ["victim_action_included", "victim_action_omitted_reason"]
        if not requested_action:
            # Nothing was asked for: nothing to carry into the conditions or to explain.
            for name in fields:
                self.fields[name].widget = forms.HiddenInput()
            fields = []
        # Fields only: the page's form also holds the conditions and its own button.
        helper = FormHelper()
        helper.form_tag = False
        helper.label_size = Size.SMALL
        helper.render_hidden_fields = True
        helper.layout = Layout(
            *(Field.checkbox(f) if f == "victim_action_included" else f for f in fields)
        )
        self.helper = helper


class AuthorisationDecisionForm(VersionedForm):
    decision = forms.ChoiceField(
        label="Your decision on the caution with these conditions",
        choices=[
            ("authorise", "Authorise the conditional caution with these conditions"),
            ("send_back", "Send back to the officer with changes to make"),
            ("decline", "Decline the conditional caution"),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason, or the changes you ask for",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required to send back or decline, and to authorise an offence with gravity "
        "score 3",
    )
    prosecutor_authority_ref = forms.CharField(
        label="Prosecutor's authority reference",
        required=False,
        max_length=100,
        help_text="Required for domestic abuse, hate crime and indictable-only offences",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper(
            Field.radios("decision"),
            "reason",
            Field.text("prosecutor_authority_ref", field_width=20),
            submit="Record decision",
        )


class VictimInformedForm(VersionedForm):
    subject = forms.ChoiceField(
        label="What the victim was told of",
        choices=VictimInformed.Subject.choices,
        widget=forms.RadioSelect,
    )
    method = forms.ChoiceField(
        label="How they were told", choices=VictimInformed.Method.choices, widget=forms.RadioSelect
    )
    informed_on = GDSDateField(label="Date they were told")
    informed_time = forms.TimeField(label="Time they were told", widget=GDSTimeInput())
    notes = forms.CharField(
        label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper(
            Field.radios("subject"),
            Field.radios("method"),
            "informed_on",
            "informed_time",
            "notes",
            submit="Record that the victim was told",
        )

    def informed_at(self) -> dt.datetime:
        data = self.cleaned_data
        return timezone.make_aware(dt.datetime.combine(data["informed_on"], data["informed_time"]))


class SignatureForm(VersionedForm):
    signed_on = GDSDateField(label="Date it was signed")
    signed_time = forms.TimeField(label="Time it was signed", widget=GDSTimeInput())
    signed_place = forms.CharField(label="Where it was signed", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper(
            "signed_on", "signed_time", "signed_place", submit="Record the signature"
        )

    def signed_at(self) -> dt.datetime:
        data = self.cleaned_data
        return timezone.make_aware(dt.datetime.combine(data["signed_on"], data["signed_time"]))
