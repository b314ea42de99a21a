"""The offence form: the gravity score is a question the officer answers (radios 1 to 4, or
the category's default), and the chosen score is what is stored."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from hub.models import Offence, OffenceCategory
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _post(client, person, **extra):
    data = {
        "category": OffenceCategory.objects.get(key="drunk_disorderly").pk,  # default gravity 1
        "description": "Shouting in the street",
        "offence_date": (dt.date.today() - dt.timedelta(days=2)).isoformat(),
        "district": person.district_id,
        **extra,
    }
    return client.post(reverse("hub:offence_create", args=[person.pk]), data)


def test_the_form_shows_one_radio_per_gravity_score(as_user, officer):
    person = PersonFactory()
    response = as_user(officer).get(reverse("hub:offence_create", args=[person.pk]))
    html = response.content.decode()
    radios = re.findall(r'<input\s+type="radio"\s+name="gravity_score"[^>]*>', html)
    values = [re.search(r'value="([^"]*)"', r).group(1) for r in radios]
    assert values == ["1", "2", "3", "4", ""]
    # A new offence starts on the category's default.
    assert "checked" in radios[-1]
    assert not any("checked" in r for r in radios[:-1])
    assert "The category&#x27;s default" in html or "The category's default" in html
    assert "NPCC gravity matrix" in html


@pytest.mark.parametrize("score", [2, 3, 4])
def test_a_chosen_gravity_score_is_stored(as_user, officer, score):
    person = PersonFactory()
    response = _post(as_user(officer), person, gravity_score=str(score))
    assert response.status_code == 302
    assert Offence.objects.get().gravity_score == score


def test_the_category_default_is_stored_when_chosen(as_user, officer):
    person = PersonFactory()
    response = _post(as_user(officer), person, gravity_score="")
    assert response.status_code == 302
    assert Offence.objects.get().gravity_score == 1


@pytest.mark.parametrize("score", ["0", "5", "x"])
def test_a_score_outside_the_matrix_is_refused_at_the_field(as_user, officer, score):
    person = PersonFactory()
    response = _post(as_user(officer), person, gravity_score=score)
    assert response.status_code == 200
    assert response.context["form"].errors["gravity_score"]
    assert not Offence.objects.exists()


def test_a_chosen_score_is_kept_when_another_field_is_wrong(as_user, officer):
    person = PersonFactory()
    response = _post(as_user(officer), person, gravity_score="3", description="")
    assert response.status_code == 200
    radios = re.findall(
        r'<input\s+type="radio"\s+name="gravity_score"[^>]*>', response.content.decode()
    )
    checked = [r for r in radios if "checked" in r]
    assert len(checked) == 1
    assert 'value="3"' in checked[0]
