"""Attacks tried on person merge and subject access (issue 16 point 10, issue 17), withstood."""

import pytest
from django.test import Client
from django.urls import reverse

from hub.models import AccessLog
from hub.roles import Role
from records.models import PersonMerge
from tests.factories import OffenceFactory, PersonFactory, make_user

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def pair():
    kept = PersonFactory(pnc_id=None)
    duplicate = PersonFactory(date_of_birth=kept.date_of_birth)
    OffenceFactory(person=duplicate)
    return kept, duplicate


def _merge(client, kept, duplicate, **extra):
    data = {"merged": duplicate.pk, "reason": "Same person", "confirm": "True", **extra}
    return client.post(reverse("records:merge", args=[kept.pk]), data)


def test_replaying_a_merge_merges_once(as_user, sergeant, pair):
    kept, duplicate = pair
    client = as_user(sergeant)
    assert _merge(client, kept, duplicate).status_code == 302
    replay = _merge(client, kept, duplicate)
    assert replay.status_code == 200
    assert "already merged" in replay.content.decode()
    assert PersonMerge.objects.count() == 1


def test_merging_in_the_other_direction_after_a_merge_is_refused(as_user, sergeant, pair):
    kept, duplicate = pair
    client = as_user(sergeant)
    _merge(client, kept, duplicate)
    # The duplicate's own merge page is closed (it is merged: nothing is added to it).
    assert _merge(client, duplicate, kept).status_code == 404
    assert PersonMerge.objects.count() == 1


def test_crafted_person_numbers_are_field_errors_not_server_errors(as_user, sergeant, pair):
    kept, _ = pair
    client = as_user(sergeant)
    for value in ("-1", "0", "9" * 30, "1e5", "1 OR 1=1", ""):
        response = client.post(
            reverse("records:merge", args=[kept.pk]),
            {"merged": value, "reason": "x", "confirm": "True"},
        )
        assert response.status_code == 200, value
        assert "merged" in response.context["form"].errors, value
    assert not PersonMerge.objects.exists()


def test_html_in_a_merge_reason_is_escaped(as_user, sergeant, pair):
    kept, duplicate = pair
    client = as_user(sergeant)
    check = client.post(
        reverse("records:merge", args=[kept.pk]), {"merged": duplicate.pk, "reason": SCRIPT}
    )
    assert "<script>alert" not in check.content.decode()
    _merge(client, kept, duplicate, reason=SCRIPT)
    page = client.get(reverse("records:unmerge", args=[duplicate.pk])).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


def test_a_caseworker_cannot_export_a_person_they_support(pair):
    from tests.referrals.factories import in_progress_referral

    referral = in_progress_referral(sessions=1)
    caseworker = referral.assigned_to
    client = Client()
    client.force_login(caseworker)
    url = reverse("records:subject_access", args=[referral.case.person_id])
    assert client.post(url, {"reference": "x", "file_format": "json"}).status_code == 403
    assert not AccessLog.objects.filter(action=AccessLog.Action.DISCLOSURE).exists()


def test_a_crafted_export_format_is_a_field_error(pair):
    kept, _ = pair
    client = Client()
    client.force_login(make_user(Role.DISCLOSURE, username="disclosure1"))
    url = reverse("records:subject_access", args=[kept.pk])
    response = client.post(url, {"reference": "SAR-1", "file_format": "../../etc/passwd"})
    assert response.status_code == 200
    assert "file_format" in response.context["form"].errors
    assert not AccessLog.objects.filter(action=AccessLog.Action.DISCLOSURE).exists()


def test_pnc_ids_with_a_wrong_check_letter_cannot_be_planted(as_user, officer):
    response = as_user(officer).post(
        reverse("hub:person_create"),
        {
            "first_name": "Alex",
            "last_name": "Example",
            "date_of_birth": "1990-05-17",
            "sex": "male",
            "ethnicity": "W1",
            "pnc_id": "15/0100001A",  # a real person's number with a different letter
        },
    )
    assert response.status_code == 200
    assert "pnc_id" in response.context["form"].errors


def test_a_bidi_override_cannot_disguise_a_name(as_user, officer):
    response = as_user(officer).post(
        reverse("hub:person_create"),
        {
            "first_name": "Alex",
            "last_name": "Exa\u202emple",
            "date_of_birth": "1990-05-17",
            "sex": "male",
            "ethnicity": "W1",
            "pnc_id": "",
        },
    )
    assert response.status_code == 200
    assert "last_name" in response.context["form"].errors
