"""Every error of a form at once, each naming its field (hub.form_errors), in the GOV.UK
error summary: never a list of "This field is required."."""

import re

import pytest
from django import forms
from django.urls import reverse

from cautions.retention_forms import RetentionDecisionForm
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def summary(response) -> list[str]:
    html = response.content.decode()
    body = html.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    return [re.sub(r"\s+", " ", text).strip() for text in re.findall(r">([^<]+)</a>", body)]


def test_an_empty_offence_form_names_every_missing_field_at_once(as_user, officer):
    person = PersonFactory()
    response = as_user(officer).post(
        reverse("hub:offence_create", args=[person.pk]), {"description": ""}
    )
    assert response.status_code == 200
    assert summary(response) == [
        "Select the category",
        "Enter the description",
        "Enter the offence date",
        "Select the district",
    ]
    assert "This field is required" not in response.content.decode()


def test_an_empty_person_form_names_its_fields(as_user, officer):
    response = as_user(officer).post(reverse("hub:person_create"), {"first_name": ""})
    errors = summary(response)
    assert "Enter the first name" in errors
    assert "Enter the last name" in errors
    assert "Enter the date of birth" in errors
    assert not [e for e in errors if "This field" in e]


class NumbersForm(forms.Form):
    hours = forms.IntegerField(label="Hours of unpaid work", min_value=1, max_value=20)
    amount = forms.DecimalField(label="Amount in pounds", required=False)
    colour = forms.ChoiceField(label="Colour", choices=[("red", "Red")], required=False)
    admitted = forms.ChoiceField(
        label="Has the person admitted the offence?",
        choices=[("yes", "Yes")],
        widget=forms.RadioSelect,
    )
    agreed = forms.BooleanField(label="The person agrees")
    note = forms.CharField(label="Note", max_length=3, required=False)
    how = forms.CharField(label="How the person failed to comply")
    yours = forms.CharField(label="Your assessment of the excuse")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"hours": "x"}, "hours", "Hours of unpaid work must be a whole number"),
        ({"hours": "21"}, "hours", "Hours of unpaid work must be 20 or less"),
        ({"hours": "20"}, "hours", None),
        ({"hours": "0"}, "hours", "Hours of unpaid work must be 1 or more"),
        ({"hours": "1"}, "hours", None),
        ({"amount": "ten"}, "amount", "Amount in pounds must be a number"),
        ({"colour": "blue"}, "colour", "Select the colour from the choices given"),
        ({}, "admitted", "Select an answer to: Has the person admitted the offence?"),
        ({}, "agreed", "Confirm that the person agrees"),
        ({"note": "four"}, "note", "Note must be 3 characters or fewer"),
        ({}, "how", "Enter how the person failed to comply"),
        ({}, "yours", "Enter your assessment of the excuse"),
    ],
)
def test_generic_messages_name_the_field(data, field, message):
    form = NumbersForm(data)
    form.is_valid()
    assert form.errors.get(field, [None])[0] == message


def test_a_message_the_form_sets_itself_is_kept():
    form = RetentionDecisionForm({})
    form.is_valid()
    assert "Enter the reason for the decision" in form.errors["reason"]
