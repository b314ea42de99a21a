"""log_access writes the s.62 entry with a statement built once (hub.audit)."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django.utils import timezone

from hub import audit
from hub.models import AccessLog
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _request(user, path="/people/1/?tab=offences"):
    request = RequestFactory().get(path)
    request.user = user
    return request


def test_an_entry_holds_what_was_logged(officer):
    person = PersonFactory()
    before = timezone.now()
    audit.log_access(
        _request(officer),
        action=AccessLog.Action.CONSULTATION,
        obj=person,
        person=person,
        description="Viewed a person " + "x" * 400,
    )
    entry = AccessLog.objects.get()
    assert (entry.user, entry.person, entry.action) == (officer, person, "consultation")
    assert (entry.object_type, entry.object_id) == ("hub.person", str(person.pk))
    assert entry.description == ("Viewed a person " + "x" * 400)[:300]
    assert entry.path == "/people/1/?tab=offences"
    assert before <= entry.at <= timezone.now() + dt.timedelta(seconds=1)


def test_entries_of_different_users_and_actions_each_keep_their_own_values(officer, analyst):
    # The statement is built once: each call must still write its own values.
    audit.log_access(_request(officer), action="consultation", object_type="x", object_id=1)
    audit.log_access(
        _request(analyst, "/reporting/export/"),
        action="disclosure",
        object_type="reporting.export",
        justification="Quarterly board",
    )
    audit.log_access(_request(AnonymousUser()), action="consultation", object_type="y")
    rows = list(
        AccessLog.objects.order_by("pk").values_list(
            "user__username", "action", "object_type", "recipient", "justification", "path"
        )
    )
    assert rows == [
        (officer.username, "consultation", "x", "", "", "/people/1/?tab=offences"),
        (
            analyst.username,
            "disclosure",
            "reporting.export",
            f"{analyst.username} (own download)",
            "Quarterly board",
            "/reporting/export/",
        ),
        (None, "consultation", "y", "", "", "/people/1/?tab=offences"),
    ]


def test_the_database_still_refuses_an_impossible_entry(officer):
    # A disclosure must name its recipient (CheckConstraint): enforced below the statement.
    request = _request(AnonymousUser())
    with pytest.raises(IntegrityError), transaction.atomic():
        audit.log_access(request, action="disclosure", object_type="x")
    assert not AccessLog.objects.exists()


def test_the_statement_is_built_once(officer):
    audit._insert.cache_clear()
    for _ in range(3):
        audit.log_access(_request(officer), action="consultation", object_type="x")
    assert audit._insert.cache_info().misses == 1
    assert AccessLog.objects.count() == 3
