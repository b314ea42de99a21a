"""The s.62 access log: filters, the justified export, and entries written by personal-data pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from hub.models import AccessLog
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

AUDIT = "/access-log/"


def csv_body(response) -> str:
    return b"".join(response.streaming_content).decode()


def export(client, **data):
    """The download as the page's form sends it: a POST with the filters and the reason."""
    return client.post(AUDIT, data)


def test_export_without_justification_is_refused(as_user, administrator):
    response = export(as_user(administrator))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Enter why you are downloading the access log" in response.content.decode()
    assert response.content.decode().count("<title>Error: Access log") == 1
    assert not AccessLog.objects.filter(action="disclosure").exists()
    blank = export(as_user(administrator), justification="   ")
    assert blank["Content-Type"].startswith("text/html")


def test_export_with_justification_is_logged_with_reason_and_recipient(as_user, administrator):
    response = export(
        as_user(administrator),
        justification="ICO request 1234",
        recipient="Information Commissioner's Office",
    )
    assert response["Content-Type"] == "text/csv"
    assert "attachment" in response["Content-Disposition"]
    entry = AccessLog.objects.get(action="disclosure")
    assert entry.user == administrator
    assert entry.justification == "ICO request 1234"
    assert entry.recipient == "Information Commissioner's Office"
    # The reason travels in the body, never in the address (logs, history, Referer).
    assert "ICO" not in entry.path
    assert "ICO request 1234" in csv_body(response)


def test_export_is_a_post_a_get_downloads_nothing(as_user, administrator):
    """Issue 17 point 14: the CSRF token and the reason were in the URL of a GET."""
    client = as_user(administrator)
    page = client.get(AUDIT).content.decode()
    form = page[page.index('id="export"') :]
    assert '<form method="post"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    response = client.get(AUDIT, {"format": "csv", "justification": "ICO request 1234"})
    assert response["Content-Type"].startswith("text/html")
    assert not AccessLog.objects.filter(action="disclosure").exists()


def test_export_needs_a_csrf_token(administrator):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    refused = client.post(AUDIT, {"justification": "ICO request 1234"})
    assert refused.status_code == 403
    assert not AccessLog.objects.filter(action="disclosure").exists()


def test_export_keeps_the_filters(as_user, officer, administrator):
    person = PersonFactory()
    other = PersonFactory()
    as_user(officer).get(reverse("hub:person_detail", args=[person.pk]))
    as_user(officer).get(reverse("hub:person_detail", args=[other.pk]))
    client = as_user(administrator)
    page = client.get(AUDIT, {"user": "officer1", "person": person.pk}).content.decode()
    assert '<input type="hidden" name="user" value="officer1">' in page
    assert f'<input type="hidden" name="person" value="{person.pk}">' in page
    body = csv_body(
        export(client, user="officer1", person=person.pk, justification="Lawfulness check")
    )
    assert body.count("\n") == 2  # the header and the one entry about `person`


def test_export_form_keeps_the_filters(as_user, administrator):
    page = as_user(administrator).get(AUDIT, {"user": "officer1", "action": "consultation"})
    text = page.content.decode()
    assert '<input type="hidden" name="user" value="officer1">' in text
    assert '<input type="hidden" name="action" value="consultation">' in text
    assert 'name="justification"' in text


def test_export_form_keeps_a_date_filter_typed_in_parts(as_user, administrator):
    query = {"date_from_day": "3", "date_from_month": "12", "date_from_year": "2026"}
    text = as_user(administrator).get(AUDIT, query).content.decode()
    assert '<input type="hidden" name="date_from" value="2026-12-03">' in text


def test_export_needs_the_export_permission(as_user, administrator):
    from django.contrib.auth.models import Permission

    administrator.user_permissions.clear()
    group = administrator.groups.get()
    group.permissions.remove(Permission.objects.get(codename="export_accesslog"))
    response = export(as_user(administrator), justification="x")
    assert response.status_code == 403


def test_a_renamed_user_keeps_the_name_of_the_time_on_earlier_entries(
    as_user, officer, administrator
):
    """Issue 17 point 15: the log showed the user's current name on every earlier entry."""
    person = PersonFactory()
    as_user(officer).get(reverse("hub:person_detail", args=[person.pk]))
    officer.username = "officer-renamed"
    officer.save()
    as_user(officer).get(reverse("hub:person_detail", args=[person.pk]))
    client = as_user(administrator)
    names = [e.username for e in client.get(AUDIT).context["page_obj"]]
    assert names[-2:] == ["officer-renamed", "officer1"]
    page = client.get(AUDIT).content.decode()
    assert "officer1" in page
    body = csv_body(export(client, justification="Lawfulness check"))
    assert ",officer1,consultation," in body
    assert ",officer-renamed,consultation," in body
    # Searching by either name finds the entries made under it; the current name finds all
    # of the account's entries.
    by_old = client.get(AUDIT, {"user": "officer1"}).context["page_obj"]
    assert by_old.paginator.count == 1
    by_new = client.get(AUDIT, {"user": "officer-renamed"}).context["page_obj"]
    assert by_new.paginator.count == 2


def test_existing_entries_are_given_the_current_name_by_the_migration(officer):
    import importlib

    from django.apps import apps

    AccessLog.objects.create(user=officer, action="consultation", object_type="hub.person")
    AccessLog.objects.create(user=None, action="consultation", object_type="hub.person")
    AccessLog.objects.update(username="")
    migration = importlib.import_module("hub.migrations.0009_accesslog_username")
    migration.copy_current_names(apps, None)
    assert sorted(AccessLog.objects.values_list("username", flat=True)) == ["", "officer1"]


def test_filter_by_action_and_date(as_user, officer, administrator):
    person = PersonFactory()
    as_user(officer).get(reverse("hub:person_detail", args=[person.pk]))
    old = AccessLog.objects.create(
        user=officer, action="alteration", object_type="hub.person", object_id=str(person.pk)
    )
    AccessLog.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=40))
    client = as_user(administrator)
    by_action = client.get(AUDIT, {"action": "consultation"})
    assert [e.action for e in by_action.context["page_obj"]] == ["consultation"]
    since = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    recent = client.get(AUDIT, {"date_from": since})
    assert old.pk not in [e.pk for e in recent.context["page_obj"]]
    until = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    older = client.get(AUDIT, {"date_to": until})
    assert [e.pk for e in older.context["page_obj"]] == [old.pk]
    bad = client.get(AUDIT, {"date_from": "not a date"})
    assert bad.status_code == 200
    assert "From must be a real date" in bad.content.decode()


def test_person_page_view_is_logged_as_consultation(as_user, officer):
    person = PersonFactory()
    as_user(officer).get(reverse("hub:person_detail", args=[person.pk]))
    entry = AccessLog.objects.get()
    assert (entry.user, entry.action, entry.person) == (officer, "consultation", person)


@pytest.mark.parametrize("rows", [1, 20])
def test_audit_page_query_count(as_user, administrator, django_assert_max_num_queries, rows):
    person = PersonFactory()
    for _ in range(rows):
        AccessLog.objects.create(
            user=administrator, action="consultation", object_type="hub.person", person=person
        )
    client = as_user(administrator)
    with django_assert_max_num_queries(12):
        assert client.get(AUDIT).status_code == 200
