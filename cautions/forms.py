"""Forms validate shape; the services validate the domain and their errors come back here.

Every form carries `expected_version` (hidden): the version of the case (or condition) when the
page was opened, so that a second officer's stale submission is refused, not applied.
"""

import datetime as dt

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.utils import timezone

from cautions import eligibility
from cautions.models import (
    Breach,
    CourtOutcome,
    EligibilityAssessment,
    NeedAssessment,
    VictimViews,
    WithdrawalKind,
)
from hub.datefields import GDSDateField
from hub.forms import TEXT_MAX_LENGTH, DisclosureForm, GDSTimeInput, gds_helper
from hub.models import ConditionType, NeedPathway, Organisation
from hub.versions import move_hidden_errors, version_field

YES_NO = [(True, "Yes"), (False, "No")]


def _yes_no(label: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda v: v in (True, "True", "true", "1"),
        widget=forms.RadioSelect,
    )


class VersionedForm(forms.Form):
    # Required: without it the stale check would be skipped (issue 17). Its errors ask to reload.
    expected_version = version_field()

    def clean(self):
        cleaned = super().clean()
        move_hidden_errors(self, "expected_version")
        return cleaned

    def _helper(self, *fields, submit: str) -> FormHelper:
        helper = gds_helper(*fields, submit=submit)
        helper.render_hidden_fields = True
        return helper


class StartCaseForm(forms.Form):
    offence = forms.IntegerField(widget=forms.HiddenInput)


class EligibilityForm(VersionedForm):
    planned_caution_date = GDSDateField(label="Planned caution date")
    admitted = _yes_no("Has the person admitted the offence?")
    admission_method = forms.ChoiceField(
        label="How was it admitted?",
        choices=EligibilityAssessment.AdmissionMethod.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    sufficient_evidence = _yes_no("Is there sufficient evidence to charge?")
    public_interest = _yes_no("Would conditions serve the public interest?")
    previous_history_count = forms.IntegerField(
        label="Previous convictions and cautions in the last 2 years",
        min_value=0,
        max_value=999,
        initial=0,
    )
    current_court_order = _yes_no("Is the person subject to a current court order?")
    co_accused = _yes_no("Is there a co-accused?")
    possible_defence = _yes_no("Has a possible defence been raised?")
    on_bail = _yes_no("Was the offence committed while on bail?")
    liable_to_recall = _yes_no("Is the person liable to resentence or recall to prison?")
    poor_response_on_arrest = _yes_no("Does their response on arrest make a caution unsuitable?")
    poor_response_to_previous = _yes_no("Have they responded poorly to previous sentences or bail?")
    risk_not_reduced = _yes_no("Would conditions fail to reduce the risk they pose?")
    prosecutor_authority_ref = forms.CharField(
        label="Prosecutor's authority reference (if any)",
        required=False,
        max_length=100,
        help_text="Needed for domestic abuse, hate crime and indictable-only offences",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper(
            "planned_caution_date",
            Field.radios("admitted", inline=True),
            Field.radios("admission_method"),
            Field.radios("sufficient_evidence", inline=True),
            Field.radios("public_interest", inline=True),
            Field.text("previous_history_count", field_width=4),
            Fieldset(
                *[Field.radios(name, inline=True) for name in eligibility.YES_NO_QUESTIONS],
                legend="Reasons a caution may not be suitable",
                legend_size=Size.MEDIUM,
            ),
            Field.text("prosecutor_authority_ref", field_width=20),
            submit="Check eligibility",
        )

    def clean(self):
        data = super().clean()
        if data.get("admitted") and not data.get("admission_method"):
            self.add_error("admission_method", "Select how the offence was admitted")
        return data


SEVERITY_CHOICES = [("", "No need"), *NeedAssessment.Severity.choices]


class NeedsForm(VersionedForm):
    """One severity and notes pair per active pathway (the seven plus configured extras)."""

    def __init__(self, *args, pathways, **kwargs):
        super().__init__(*args, **kwargs)
        self.pathways = list(pathways)
        layout = []
        for pathway in self.pathways:
            sev, notes = f"severity_{pathway.key}", f"notes_{pathway.key}"
            self.fields[sev] = forms.ChoiceField(
                label="Severity", choices=SEVERITY_CHOICES, required=False, widget=forms.RadioSelect
            )
            self.fields[notes] = forms.CharField(
                max_length=TEXT_MAX_LENGTH,
                label="Notes",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            layout.append(
                Fieldset(
                    Field.radios(sev, inline=True),
                    notes,
                    legend=pathway.label,
                    legend_size=Size.SMALL,
                )
            )
        self.helper = self._helper(*layout, submit="Save needs")

    def needs(self) -> list[dict]:
        result = []
        for pathway in self.pathways:
            severity = self.cleaned_data.get(f"severity_{pathway.key}")
            if severity:
                notes = self.cleaned_data.get(f"notes_{pathway.key}", "")
                result.append({"pathway": pathway, "severity": severity, "notes": notes})
        return result


class VictimViewsForm(VersionedForm):
    kind = forms.ChoiceField(
        label="The victim's views", choices=VictimViews.Kind.choices, widget=forms.RadioSelect
    )
    views = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Views given",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    requested_action = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Action the victim asked for (including community remedy options)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    efforts = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Efforts made, and why no views were obtained",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    restorative_justice_consent = forms.BooleanField(
        label="The victim consents to restorative justice", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper(
            Field.radios("kind"),
            "views",
            "requested_action",
            "efforts",
            Field.checkbox("restorative_justice_consent"),
            submit="Save the victim's views",
        )


class AdministerForm(VersionedForm):
    caution_date = GDSDateField(label="Date the caution was given")
    signed_time = forms.TimeField(
        label="Time the document was signed",
        widget=GDSTimeInput(),
    )
    signed_place = forms.CharField(label="Where it was signed", max_length=200)
    admission_method = forms.ChoiceField(
        label="How the person admitted the offence",
        choices=EligibilityAssessment.AdmissionMethod.choices,
        widget=forms.RadioSelect,
    )
    admitted = forms.BooleanField(label="The person admits the offence", required=False)
    effect_explained = forms.BooleanField(
        label="The effect of the caution was explained", required=False
    )
    warned_of_prosecution = forms.BooleanField(
        label="The person was warned that failing to comply may lead to prosecution",
        required=False,
    )
    consented = forms.BooleanField(label="The person consents to the conditions", required=False)
    document_signed = forms.BooleanField(
        label="The person signed the document with the offence, admission, consent and conditions",
        required=False,
    )
    compliance_period_weeks = forms.IntegerField(
        label="Compliance period in weeks", min_value=1, max_value=52
    )
    compliance_extension_reason = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Reason for a longer compliance period",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    provider_report_is_compliance = forms.BooleanField(
        label="Accept a support provider's report of compliance without my confirmation",
        required=False,
    )
    time_limit_acknowledged = forms.BooleanField(
        label="I understand the summary-only time limit warning", required=False
    )

    def __init__(self, *args, summary_only: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # The s.127 time limit binds summary-only offences alone: no box to tick for the others.
        if not summary_only:
            del self.fields["time_limit_acknowledged"]
        helper = FormHelper()
        helper.form_tag = False
        helper.render_hidden_fields = True
        helper.label_size = Size.SMALL
        helper.legend_size = Size.SMALL
        helper.layout = Layout(
            Fieldset(
                "caution_date",
                "signed_time",
                Field.text("signed_place", field_width=20),
                legend="The signed document",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.radios("admission_method"),
                Field.checkbox("admitted"),
                Field.checkbox("effect_explained"),
                Field.checkbox("warned_of_prosecution"),
                Field.checkbox("consented"),
                Field.checkbox("document_signed"),
                legend="The five legal requirements",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("compliance_period_weeks", field_width=4),
                "compliance_extension_reason",
                Field.checkbox("provider_report_is_compliance"),
                *([Field.checkbox("time_limit_acknowledged")] if summary_only else []),
                legend="Compliance",
                legend_size=Size.MEDIUM,
            ),
        )
        self.helper = helper

    def signed_at(self) -> dt.datetime:
        return timezone.make_aware(
            dt.datetime.combine(self.cleaned_data["caution_date"], self.cleaned_data["signed_time"])
        )


class ConditionForm(forms.Form):
    condition_type = forms.ModelChoiceField(
        label="Condition type", queryset=ConditionType.objects.none(), required=False
    )
    description = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="What the person must do",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due_date = GDSDateField(label="Due date", required=False)
    provider = forms.ModelChoiceField(
        label="Support provider",
        queryset=Organisation.objects.none(),
        required=False,
        help_text="For condition types that need support",
    )
    amount = forms.DecimalField(
        label="Amount in pounds", required=False, min_value=0, max_digits=8, decimal_places=2
    )
    amount_reason = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Reason for an amount above the value of the loss",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed only when compensation is more than the loss or damage recorded",
    )
    hours = forms.DecimalField(
        label="Hours", required=False, min_value=0, max_digits=5, decimal_places=1
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["condition_type"].queryset = ConditionType.objects.filter(retired=False)
        self.fields["provider"].queryset = Organisation.objects.filter(
            kind=Organisation.Kind.SUPPORT_PROVIDER, active=True
        )
        helper = FormHelper()
        helper.form_tag = False
        helper.label_size = Size.SMALL
        helper.layout = Layout(
            "condition_type",
            "description",
            "due_date",
            "provider",
            Field.text("amount", field_width=5),
            "amount_reason",
            Field.text("hours", field_width=4),
        )
        self.helper = helper

    def clean(self):
        data = super().clean()
        if data.get("condition_type"):
            if not data.get("description"):
                self.add_error("description", "Describe what the person must do")
            if not data.get("due_date"):
                self.add_error("due_date", "Enter the due date")
        elif any(data.get(f) for f in ("description", "due_date", "provider", "amount", "hours")):
            self.add_error("condition_type", "Select the condition type")
        return data


# absolute_max: a crafted TOTAL_FORMS no longer builds (and renders) 1,008 forms (issue 17).
ConditionFormSet = forms.formset_factory(
    ConditionForm, extra=0, min_num=4, max_num=8, absolute_max=8
)


class ConditionCompliedForm(VersionedForm):
    complied_on = GDSDateField(label="Date complied")
    evidence = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Evidence",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What shows it",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper("complied_on", "evidence", submit="Mark as complied")


class ConditionNotCompliedForm(VersionedForm):
    details = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="How the person failed to comply",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    excuse_given = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Any excuse the person gave",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper("details", "excuse_given", submit="Record the breach")


class ReasonForm(VersionedForm):
    reason = forms.CharField(
        max_length=TEXT_MAX_LENGTH, label="Reason", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, submit: str = "Confirm", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper("reason", submit=submit)


class BreachDecisionForm(VersionedForm):
    reasonable_excuse = _yes_no("Did the person have a reasonable excuse?")
    excuse_assessment = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Your assessment of the excuse",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    decision = forms.ChoiceField(
        label="Decision", choices=Breach.Decision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="Reason for the decision",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    new_due_date = GDSDateField(label="New due date (if varying)", required=False)
    new_description = forms.CharField(
        max_length=TEXT_MAX_LENGTH,
        label="New wording of the condition (if varying; leave empty to keep it)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    consent_given = forms.BooleanField(
        label="The person consents to the varied condition (if varying)", required=False
    )
    charge_date = GDSDateField(label="Charge date (if resuming the prosecution)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper(
            Field.radios("reasonable_excuse", inline=True),
            "excuse_assessment",
            Field.radios("decision"),
            "reason",
            Fieldset(
                "new_due_date",
                "new_description",
                Field.checkbox("consent_given"),
                legend="Vary the conditions",
            ),
            Fieldset("charge_date", legend="Resume the prosecution"),
            submit="Record decision",
        )


class CourtOutcomeForm(VersionedForm):
    kind = forms.ChoiceField(
        label="What did the court decide?",
        choices=CourtOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the court outcome"},
    )
    details = forms.CharField(
        label="Sentence or details",
        max_length=200,
        required=False,
        help_text='The sentence for a conviction; what the outcome was for "Other"',
    )
    court_outcome_date = GDSDateField(label="Date of the outcome")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper(
            Field.radios("kind"),
            Field.text("details"),
            "court_outcome_date",
            submit="Record the court outcome",
        )


class WithdrawForm(VersionedForm):
    kind = forms.ChoiceField(
        label="Why is the case withdrawn?", choices=WithdrawalKind.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        max_length=TEXT_MAX_LENGTH, label="Details", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper(Field.radios("kind"), "reason", submit="Withdraw the case")


class ReopenAssessmentForm(VersionedForm):
    reason = forms.CharField(
        label="Why is the assessment reopened?",
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, an answer was wrong or new information has come to light",
        error_messages={"required": "Enter the reason for reopening the assessment"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper("reason", submit="Reopen the assessment")


class CaseListExportForm(DisclosureForm):
    example = "the monthly crime outcomes return"


def active_pathways():
    return NeedPathway.objects.filter(active=True).order_by("sort_order", "label")
