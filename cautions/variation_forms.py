"""Forms of the variations after a caution is given: vary a condition, add one, extend the
compliance period. Each asks for the reason and the person's agreement (yes, and the date);
the services check the limits and their errors come back at the field they concern."""

from crispy_forms_gds.layout import Field, Fieldset
from django import forms

from cautions.forms import VersionedForm
from cautions.services.conditions import COMPENSATION
from hub.datefields import GDSDateField
from hub.models import ConditionType, Organisation


def _reason() -> forms.CharField:
    return forms.CharField(
        label="Reason for the variation",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the amount was entered wrongly when the caution was given",
    )


def _consent() -> forms.BooleanField:
    return forms.BooleanField(label="The person agrees to the varied conditions", required=False)


def _agreed_on() -> forms.DateField:
    return GDSDateField(label="Date the person agreed")


def _amount() -> forms.DecimalField:
    return forms.DecimalField(
        label="Amount in pounds", required=False, max_digits=8, decimal_places=2
    )


def _amount_reason() -> forms.CharField:
    return forms.CharField(
        label="Reason for an amount above the value of the loss",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed only when the compensation is more than the loss or damage recorded",
    )


def _hours() -> forms.DecimalField:
    return forms.DecimalField(label="Hours", required=False, max_digits=5, decimal_places=1)


def _providers():
    return Organisation.objects.filter(kind=Organisation.Kind.SUPPORT_PROVIDER, active=True)


AGREEMENT = ("reason", Field.checkbox("consent_given"), "agreed_on")


def _agreement_fieldset():
    return Fieldset(*AGREEMENT, legend="Reason and the person's agreement", legend_size="m")


class ConditionVaryForm(VersionedForm):
    """The condition's content as it will be; only the fields its type has are shown."""

    description = forms.CharField(
        label="What the person must do", widget=forms.Textarea(attrs={"rows": 3})
    )
    amount = _amount()
    amount_reason = _amount_reason()
    hours = _hours()
    due_date = GDSDateField(label="Due date")
    provider = forms.ModelChoiceField(
        label="Support provider", queryset=Organisation.objects.none(), required=False
    )
    reason = _reason()
    consent_given = _consent()
    agreed_on = _agreed_on()

    def __init__(self, *args, condition_type: ConditionType, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = _providers()
        shown = ["description"]
        if condition_type.has_amount:
            shown.append(Field.text("amount", field_width=5))
        else:
            del self.fields["amount"]
        # Only compensation is measured against the value of the loss.
        if condition_type.key == COMPENSATION:
            shown.append("amount_reason")
        else:
            del self.fields["amount_reason"]
        if condition_type.has_hours:
            shown.append(Field.text("hours", field_width=4))
        else:
            del self.fields["hours"]
        shown.append("due_date")
        if condition_type.needs_provider:
            shown.append("provider")
        else:
            del self.fields["provider"]
        self.helper = self._helper(*shown, _agreement_fieldset(), submit="Vary the condition")


class ConditionAddForm(VersionedForm):
    condition_type = forms.ModelChoiceField(
        label="Condition type", queryset=ConditionType.objects.none()
    )
    description = forms.CharField(
        label="What the person must do", widget=forms.Textarea(attrs={"rows": 3})
    )
    due_date = GDSDateField(label="Due date")
    provider = forms.ModelChoiceField(
        label="Support provider",
        queryset=Organisation.objects.none(),
        required=False,
        help_text="For condition types that need support",
    )
    amount = _amount()
    amount_reason = _amount_reason()
    hours = _hours()
    reason = _reason()
    consent_given = _consent()
    agreed_on = _agreed_on()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["condition_type"].queryset = ConditionType.objects.filter(retired=False)
        self.fields["provider"].queryset = _providers()
        self.helper = self._helper(
            "condition_type",
            "description",
            "due_date",
            "provider",
            Field.text("amount", field_width=5),
            "amount_reason",
            Field.text("hours", field_width=4),
            _agreement_fieldset(),
            submit="Add the condition",
        )


class ExtendPeriodForm(VersionedForm):
    weeks = forms.IntegerField(
        label="New compliance period, in weeks from the caution date",
        min_value=1,
        max_value=99,
        help_text="At most 20 weeks from the caution date",
    )
    reason = _reason()
    consent_given = _consent()
    agreed_on = _agreed_on()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper(
            Field.text("weeks", field_width=3),
            _agreement_fieldset(),
            submit="Extend the compliance period",
        )
