import pytest
from django.urls import reverse

from hub.models import Offence
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "value", ["9223372036854775808", "-99999999999999999999", "1e400", "\u00b2"]
)
def test_out_of_range_choice_is_a_field_error_not_a_server_error(as_user, officer, value):
    person = PersonFactory()
    response = as_user(officer).post(
        reverse("hub:offence_create", args=[person.pk]),
        {"category": value, "description": "x", "offence_date": "2026-01-01", "district": value},
    )
    assert response.status_code == 200
    assert b"Select the category from the choices given" in response.content
    assert not Offence.objects.exists()
