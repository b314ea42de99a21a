import pytest
from django.core.management import call_command
from django.urls import reverse

from hub.models import AccessLog
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("user_fixture", ["caseworker", "analyst"])
def test_non_police_roles_cannot_reach_the_person_register(request, as_user, user_fixture):
    person = PersonFactory()
    client = as_user(request.getfixturevalue(user_fixture))
    assert client.get(reverse("hub:person_search")).status_code == 403
    assert client.get(reverse("hub:person_detail", args=[person.pk])).status_code == 403
    assert client.post(reverse("hub:person_create"), {}).status_code == 403


def test_only_administrators_see_the_access_log(as_user, officer, administrator):
    assert as_user(officer).get(reverse("hub:audit_log")).status_code == 403
    assert as_user(administrator).get(reverse("hub:audit_log")).status_code == 200


def test_access_log_filters_and_its_export_is_logged(as_user, officer, administrator):
    person = PersonFactory()
    as_user(officer).get(reverse("hub:person_detail", args=[person.pk]))
    client = as_user(administrator)
    response = client.get(reverse("hub:audit_log"), {"user": "officer1", "person": person.pk})
    assert response.context["page_obj"].paginator.count == 1
    response = client.get(
        reverse("hub:audit_log"),
        {"user": "officer1", "format": "csv", "justification": "Monthly lawfulness check"},
    )
    body = b"".join(response.streaming_content).decode()
    assert "officer1,consultation" in body
    assert AccessLog.objects.filter(user=administrator, action="disclosure").count() == 1


def test_no_migrations_pending():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
