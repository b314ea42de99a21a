import datetime as dt
import unicodedata

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms
from django.core import validators
from django.utils import timezone

from hub.datefields import GDSDateField
from hub.lib import pnc
from hub.lib.staff import user_display_name
from hub.lib.text import hidden_characters_message
from hub.models import District, Offence, OffenceCategory, Person


def gds_helper(*fields, submit: str = "Save") -> FormHelper:
    helper = FormHelper()
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*fields, Button("submit", submit))
    # The GOV.UK error summary reports every problem; the browser's own pop-ups would stop
    # the form before the server could, one field at a time.
    helper.attrs = {"novalidate": ""}
    return helper


# Free text typed into a form: long enough for any note, short enough that a pasted 2.4 MB
# document is a field error rather than a row nobody can read.
TEXT_MAX_LENGTH = 5000


def cap_text(form: forms.BaseForm, *names: str, limit: int = TEXT_MAX_LENGTH) -> None:
    """Give model text fields (no max_length of their own) the same cap as declared ones."""
    for name in names:
        field = form.fields[name]
        field.max_length = limit
        field.validators.append(validators.MaxLengthValidator(limit))
        field.widget.attrs["maxlength"] = str(limit)


class GDSTimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None, **kwargs):
        attrs = {"class": "govuk-input govuk-input--width-5", **(attrs or {})}
        super().__init__(attrs=attrs, format="%H:%M", **kwargs)


class StaffChoiceField(forms.ModelChoiceField):
    """Staff offered by name, after their rank ("Sgt Tom Baker"), never by user name. Give
    it a queryset with select_related("profile") for the ranks."""

    def label_from_instance(self, obj) -> str:
        return user_display_name(obj)


class PersonSearchForm(forms.Form):
    name = forms.CharField(required=False, max_length=200, label="Name")
    pnc_id = forms.CharField(required=False, max_length=20, label="PNC ID")
    date_of_birth = GDSDateField(
        required=False,
        label="Date of birth",
        help_text="For example, 27 March 1990",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper("name", "pnc_id", "date_of_birth", submit="Search")
        self.helper.form_method = "get"

    def has_criteria(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "sex",
            "ethnicity",
            "pnc_id",
            "district",
            "address",
            "phone",
            "email",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"date_of_birth": GDSDateField}
        help_texts = {
            "pnc_id": "Police National Computer ID, for example 16/0123456J. Leave empty if none.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_of_birth"].required = True
        cap_text(self, "address", limit=1000)
        self.fields["district"].queryset = District.objects.filter(active=True)
        self.helper = gds_helper(
            Field.text("first_name"),
            Field.text("last_name"),
            "date_of_birth",
            Field.radios("sex", inline=True),
            "ethnicity",
            Field.text("pnc_id", field_width=10),
            "district",
            "address",
            Field.text("phone", field_width=20),
            "email",
        )

    def _clean_name(self, field: str) -> str:
        value = unicodedata.normalize("NFC", self.cleaned_data[field].strip())
        message = hidden_characters_message(str(self.fields[field].label), value)
        if message:
            raise forms.ValidationError(message, code="hidden_characters")
        return value

    def clean_first_name(self):
        return self._clean_name("first_name")

    def clean_last_name(self):
        return self._clean_name("last_name")

    def clean_pnc_id(self):
        value = (self.cleaned_data.get("pnc_id") or "").strip()
        if not value:
            return None
        try:
            return pnc.normalise(value)
        except pnc.InvalidPNC as error:
            raise forms.ValidationError(str(error), code="invalid_pnc") from error

    def clean_date_of_birth(self):
        dob = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        if dob > today:
            raise forms.ValidationError("Date of birth must be in the past")
        if dob < today.replace(year=today.year - 120):
            raise forms.ValidationError("Date of birth must be within the last 120 years")
        return dob


GRAVITY_DEFAULT = ""
GRAVITY_CHOICES = [
    (1, "1 (low)"),
    (2, "2"),
    (3, "3"),
    (4, "4 (high)"),
    (GRAVITY_DEFAULT, "The category's default"),
]


class OffenceForm(forms.ModelForm):
    # A choice field (not the model's integer field with a RadioSelect widget): the GOV.UK
    # radios template draws the field's own choices, and an integer field has none, so the
    # radios came out empty and every offence took its category's default unseen.
    gravity_score = forms.TypedChoiceField(
        label="Gravity score",
        choices=GRAVITY_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=(
            "NPCC gravity matrix after aggravating and mitigating factors. "
            "Choose the category's default if no factor moves it."
        ),
    )

    class Meta:
        model = Offence
        fields = [
            "category",
            "description",
            "offence_date",
            "district",
            "gravity_score",
            "gravity_rationale",
            "mode_of_trial",
            "domestic_abuse",
            "hate_crime",
            "victim_present",
            "loss_value",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "gravity_rationale": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"offence_date": GDSDateField}
        labels = {
            "domestic_abuse": "Domestic abuse",
            "hate_crime": "Hate crime",
            "victim_present": "There is an identifiable victim",
            "gravity_rationale": "Gravity rationale (aggravating and mitigating factors)",
            "loss_value": "Value of the loss or damage, in pounds (optional)",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = OffenceCategory.objects.filter(active=True)
        cap_text(self, "description", "gravity_rationale")
        self.fields["district"].queryset = District.objects.filter(active=True)
        self.fields["mode_of_trial"].required = False
        self.fields["mode_of_trial"].help_text = "Leave empty to use the category's mode of trial"
        if self.initial.get("gravity_score") is None:
            self.initial["gravity_score"] = GRAVITY_DEFAULT
        self.helper = gds_helper(
            "category",
            "description",
            "offence_date",
            "district",
            Field.radios("gravity_score", inline=True),
            "gravity_rationale",
            "mode_of_trial",
            Field.text("loss_value", field_width=5),
            Fieldset(
                Field.checkbox("domestic_abuse"),
                Field.checkbox("hate_crime"),
                Field.checkbox("victim_present"),
                legend="Flags",
            ),
            submit="Record offence",
        )

    def clean_loss_value(self):
        value = self.cleaned_data["loss_value"]
        if value is not None and value < 0:
            raise forms.ValidationError("The value of the loss cannot be less than £0")
        return value

    def clean_offence_date(self):
        date = self.cleaned_data["offence_date"]
        if date > timezone.localdate():
            raise forms.ValidationError("Offence date must be today or in the past")
        if date < dt.date(1950, 1, 1):
            raise forms.ValidationError("Offence date must be after 1950")
        return date

    def clean(self):
        data = super().clean()
        category = data.get("category")
        if category:
            if not data.get("mode_of_trial"):
                data["mode_of_trial"] = category.mode_of_trial
            if not data.get("gravity_score"):
                data["gravity_score"] = category.default_gravity
        return data


class AccessLogFilterForm(forms.Form):
    user = forms.CharField(required=False, label="User name", max_length=150)
    person = forms.IntegerField(
        required=False, label="Person number", min_value=1, max_value=2**63 - 1
    )
    action = forms.ChoiceField(required=False, choices=[("", "Any")])
    date_from = GDSDateField(
        required=False,
        label="From",
    )
    date_to = GDSDateField(
        required=False,
        label="To",
    )

    def __init__(self, *args, **kwargs):
        from hub.models import AccessLog

        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Any"), *AccessLog.Action.choices]
        self.helper = gds_helper(
            Field.text("user", field_width=20),
            Field.text("person", field_width=10),
            "action",
            "date_from",
            "date_to",
            submit="Filter",
        )
        self.helper.form_method = "get"


class PersonCreateForm(PersonForm):
    """Adding a person, with the possible-duplicate check (issue 16 point 10): when people
    already held may be this one, the form is shown again with them and asks the user to
    confirm that this is someone else (`not_a_duplicate`); `shown` carries the ids shown, so
    that a match appearing between the warning and the confirmation is shown too."""

    not_a_duplicate = forms.BooleanField(
        required=False,
        label="None of these is the person: add a new record",
        help_text="Your choice is recorded in the new person's history.",
    )
    shown = forms.CharField(required=False, widget=forms.HiddenInput, max_length=400)

    class Meta(PersonForm.Meta):
        error_messages = {
            "pnc_id": {
                "unique": "A person with this PNC ID is already recorded: use their record "
                "(shown below) rather than adding a new one"
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout.fields[-1:-1] = ["shown"]

    def person_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("not_a_duplicate", "shown")}

    def duplicate_keys(self) -> dict:
        """What the duplicate check compares, as far as the input allows (also from a form
        with errors: a PNC ID already held is itself an error here)."""
        data = getattr(self, "cleaned_data", {})
        raw_pnc = self.data.get("pnc_id", "")
        return {
            "first_name": data.get("first_name", ""),
            "last_name": data.get("last_name", ""),
            "date_of_birth": data.get("date_of_birth"),
            "pnc_id": pnc.normalise(raw_pnc) if pnc.is_valid(raw_pnc) else None,
        }

    def shown_ids(self) -> set[int]:
        text = self.cleaned_data.get("shown", "") if self.is_bound else ""
        return {
            int(part)
            for part in text.split(",")
            if part.isascii() and part.isdigit() and len(part) < 19
        }

    def confirmed(self, candidate_ids: set[int]) -> bool:
        """The user ticked the box, on a page that showed every candidate there is now."""
        return bool(self.cleaned_data.get("not_a_duplicate")) and candidate_ids <= self.shown_ids()

    def ask_to_confirm(self, candidate_ids: set[int], *, may_add: bool) -> None:
        """Show the form again with the candidates: `may_add` offers the confirmation (not
        when a candidate holds the PNC ID typed, which identifies one person)."""
        self.data = self.data.copy()
        self.data["shown"] = ",".join(str(pk) for pk in sorted(candidate_ids))
        self.data["not_a_duplicate"] = ""
        if may_add:
            self.helper.layout.fields[-2:-2] = [Field.checkbox("not_a_duplicate")]
            if not self.errors:
                self.add_error(
                    "not_a_duplicate",
                    "Check the people already recorded below: use one of their records, or "
                    "confirm that this is a different person",
                )


class DisclosureForm(forms.Form):
    """Why a download of records or figures is needed and who receives it: asked before every
    logged disclosure (the case list's and the dashboard's downloads). A subclass gives its
    `example` justification."""

    example = "the monthly return"

    justification = forms.CharField(
        label="Why do you need this download?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Enter why you need this download"},
    )
    recipient = forms.CharField(
        label="Who will receive it? (optional)",
        required=False,
        max_length=200,
        help_text="Leave empty if it is for your own use",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "justification"
        ].help_text = f"For example, {self.example}. Downloads are recorded in the access log."
        self.helper = gds_helper("justification", "recipient", submit="Download CSV")

    def clean_justification(self):
        value = self.cleaned_data["justification"].strip()
        if not value:
            raise forms.ValidationError("Enter why you need this download")
        return value
