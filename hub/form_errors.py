"""Error messages that name their field, for every form (applied once at start-up).

Django's defaults ("This field is required.", "Enter a whole number.") say nothing of which
field they are about; listed in the GOV.UK error summary, twelve "This field is required."
leave the user to find each field. The Design System's messages name the thing to do:
"Enter the description", "Select the district", "Amount must be 100 or less". A message a
form or field sets itself is kept as it is: only Django's generic wording is replaced.
"""

from __future__ import annotations

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError

GENERIC = {
    "required": {str(forms.Field.default_error_messages["required"])},
    "invalid": {
        str(forms.IntegerField.default_error_messages["invalid"]),
        str(forms.DecimalField.default_error_messages["invalid"]),
        str(forms.FloatField.default_error_messages["invalid"]),
    },
    "invalid_choice": {
        str(forms.ChoiceField.default_error_messages["invalid_choice"]),
        str(forms.ModelChoiceField.default_error_messages["invalid_choice"]),
    },
    "max_value": {str(validators.MaxValueValidator.message)},
    "min_value": {str(validators.MinValueValidator.message)},
    "max_length": {str(validators.MaxLengthValidator.message)},
}


def _sentence(label: str) -> str:
    """'Date of offence' -> 'date of offence'; 'PNC ID' stays as it is."""
    label = label.strip().rstrip(":")
    if len(label) > 1 and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def _is_choice(field: forms.Field) -> bool:
    return isinstance(field, forms.ChoiceField | forms.ModelChoiceField) or isinstance(
        field.widget, forms.RadioSelect | forms.Select | forms.CheckboxSelectMultiple
    )


# A label that starts with one of these reads on after "Enter" without "the": "Enter how the
# person failed to comply", "Enter your assessment", "Enter the reason".
_NO_ARTICLE = frozenset(
    {"how", "what", "why", "when", "where", "which", "who", "whether", "any", "your", "the", "a"}
)


def _thing(label: str) -> str:
    sentence = _sentence(label)
    first = sentence.split(" ", 1)[0].lower()
    return sentence if first in _NO_ARTICLE else f"the {sentence}"


def _required(label: str, field: forms.Field) -> str:
    question = label.endswith("?")
    if isinstance(field, forms.BooleanField):
        return f"Confirm that {_sentence(label)}" if not question else f"Answer: {label}"
    if _is_choice(field):
        return f"Select an answer to: {label}" if question else f"Select {_thing(label)}"
    return f"Enter an answer to: {label}" if question else f"Enter {_thing(label)}"


def field_message(label: str, field: forms.Field, error: ValidationError) -> str | None:
    """The message naming the field for Django's generic `error`, or None to keep it."""
    code = error.code or ""
    if str(error.message) not in GENERIC.get(code, ()):
        return None
    params = error.params or {}
    limit = params.get("limit_value")
    if code == "required":
        return _required(label, field)
    if code == "invalid":
        whole = isinstance(field, forms.IntegerField) and not isinstance(
            field, forms.DecimalField | forms.FloatField
        )
        return f"{label} must be a {'whole ' if whole else ''}number"
    if code == "invalid_choice":
        return f"Select {_thing(label)} from the choices given"
    if code == "max_value":
        return f"{label} must be {limit} or less"
    if code == "min_value":
        return f"{label} must be {limit} or more"
    if code == "max_length":
        return f"{label} must be {limit} characters or fewer"
    return None


def _named(form: forms.BaseForm, name: str, error: ValidationError) -> ValidationError:
    field = form.fields[name]
    label = str(form[name].label)
    named = []
    for item in error.error_list:
        message = field_message(label, field, item)
        named.append(ValidationError(message, code=item.code) if message else item)
    return ValidationError(named)


def name_fields_in_errors() -> None:
    add_error = forms.BaseForm.add_error

    def named_add_error(self, field, error):
        if (
            field
            and field in self.fields
            and isinstance(error, ValidationError)
            and not hasattr(error, "error_dict")
        ):
            error = _named(self, field, error)
        return add_error(self, field, error)

    forms.BaseForm.add_error = named_add_error
