"""Hostile-input hardening for model choice fields, applied once at start-up.

Django's ModelChoiceField and ModelMultipleChoiceField pass a posted id straight to the
database. An id beyond the 64-bit integer range raises OverflowError on SQLite and a
"value out of range" DataError on PostgreSQL, i.e. a server error instead of "select a valid
choice". Every form in the project (and in the admin) gets the bound check here, so a new
form cannot forget it.
"""

from django import forms
from django.core.exceptions import ValidationError

_LIMIT = 2**63 - 1


def _out_of_range(value) -> bool:
    text = str(value).strip()
    digits = text[1:] if text[:1] in "+-" else text
    # isascii: "²" is a digit to str.isdigit() but not to int().
    return digits.isascii() and digits.isdigit() and int(digits) > _LIMIT


def harden_model_choice_fields() -> None:
    single_to_python = forms.ModelChoiceField.to_python
    multiple_check = forms.ModelMultipleChoiceField._check_values

    def to_python(self, value):
        if value not in self.empty_values and _out_of_range(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return single_to_python(self, value)

    def check_values(self, value):
        for item in value or ():
            if _out_of_range(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return multiple_check(self, value)

    forms.ModelChoiceField.to_python = to_python
    forms.ModelMultipleChoiceField._check_values = check_values
