"""Hidden characters in names refused (issue 17 point 17, names): hub.lib.text, the person
form and the model (services, admin)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hub.lib.text import hidden_characters, hidden_characters_message
from hub.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

REFUSED = {
    "right-to-left override": "Daniel\u202eSEHGUH",
    "left-to-right override": "Dan\u202diel",
    "right-to-left isolate": "Dan\u2067iel",
    "zero-width space": "Dan\u200biel",
    "zero-width joiner": "Dan\u200diel",
    "zero-width non-joiner": "Dan\u200ciel",
    "word joiner": "Dan\u2060iel",
    "byte order mark": "\ufeffDaniel",
    "soft hyphen": "Dan\u00adiel",
    "null": "Dan\x00iel",
    "escape": "Dan\x1biel",
    "delete": "Dan\x7fiel",
    "private use": "Dan\ue000iel",
    "line separator": "Dan\u2028iel",
}
ACCEPTED = ["Daniel", "Siân", "O'Brien", "Smith-Jones", "José María", "Nguyễn", "محمد", "李", "Zoë"]


@pytest.mark.parametrize("value", REFUSED.values(), ids=REFUSED.keys())
def test_hidden_characters_are_found(value):
    assert hidden_characters(value)


@pytest.mark.parametrize("value", ACCEPTED)
def test_names_in_any_script_are_accepted(value):
    assert hidden_characters(value) == []
    assert hidden_characters_message("First name", value) is None


def test_the_message_names_the_field_and_the_character():
    message = hidden_characters_message("Last name", "Hughes\u202e\u200b\u202e")
    assert message.startswith("Last name must contain only letters")
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in message
    assert "U+200B ZERO WIDTH SPACE" in message
    assert message.count("U+202E") == 1


def _person_post(**changes):
    data = {
        "first_name": "Marcus",
        "last_name": "Green",
        "date_of_birth": "2001-02-27",
        "sex": "male",
        "ethnicity": "B1",
        "pnc_id": "",
    }
    return {**data, **changes}


@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_the_person_form_refuses_a_bidi_override_at_the_field(as_user, officer, field):
    response = as_user(officer).post(
        reverse("hub:person_create"), _person_post(**{field: "Gr\u202eeen"})
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    content = response.content.decode()
    assert "There is a problem" in content
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in content
    assert not Person.objects.exists()


def test_editing_a_name_refuses_a_zero_width_space(as_user, officer):
    person = PersonFactory(first_name="Kelly")
    data = _person_post(first_name="Ke\u200blly", pnc_id=person.pnc_id)
    response = as_user(officer).post(reverse("hub:person_edit", args=[person.pk]), data)
    assert response.status_code == 200
    assert "first_name" in response.context["form"].errors
    person.refresh_from_db()
    assert person.first_name == "Kelly"


def test_a_clean_name_is_saved(as_user, officer):
    response = as_user(officer).post(reverse("hub:person_create"), _person_post(first_name="Siân"))
    assert response.status_code == 302
    assert Person.objects.get().first_name == "Siân"


def test_the_model_refuses_hidden_characters_for_services_and_admin():
    person = PersonFactory.build(last_name="Hug\u202ehes")
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "last_name" in error.value.message_dict
