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
    response = client.post(
        reverse("hub:audit_log"),
        {"user": "officer1", "justification": "Monthly lawfulness check"},
    )
    body = b"".join(response.streaming_content).decode()
    assert "officer1,consultation" in body
    assert AccessLog.objects.filter(user=administrator, action="disclosure").count() == 1


def test_no_migrations_pending():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


_OFFICER_PERMISSIONS = {
    "hub.view_person",
    "hub.add_person",
    "hub.change_person",
    "hub.view_offence",
    "hub.add_offence",
    "cautions.view_case",
    "cautions.add_case",
    "cautions.change_case",
    "cautions.print_caution",
    "referrals.view_referral",
    "referrals.add_referral",
    # Issue 18: consent to reminders, recorded and withdrawn by officers and caseworkers.
    "notifications.view_contactconsent",
    "notifications.add_contactconsent",
}


# Written out, not read from hub.roles: moving a model to another app (issue 15 moved the
# national records to hub and retention to cautions) must not change what any role may do.
@pytest.mark.parametrize(
    ("user_fixture", "expected"),
    [
        ("officer", _OFFICER_PERMISSIONS),
        (
            "sergeant",
            {
                *_OFFICER_PERMISSIONS,
                "cautions.authorise_case",
                "cautions.decide_breach",
                # Issue 16 point 10: merging duplicate people (records).
                "records.merge_person",
            },
        ),
        (
            "caseworker",
            {
                "referrals.view_referral",
                "referrals.change_referral",
                "referrals.view_supportsession",
                "referrals.add_supportsession",
                "notifications.view_contactconsent",
                "notifications.add_contactconsent",
            },
        ),
        (
            "analyst",
            {"reporting.view_dashboard", "reporting.export_aggregates", "reporting.import_data"},
        ),
        (
            "administrator",
            {
                "hub.view_accesslog",
                "hub.export_accesslog",
                "reporting.import_data",
                "cautions.review_retention",
                "auth.change_user",
                # Issue 17 (separation of duties): accounts in the Django admin, lockouts.
                "auth.view_user",
                "auth.add_user",
                "auth.view_group",
                "hub.view_staffprofile",
                "hub.add_staffprofile",
                "hub.change_staffprofile",
                "hub.view_organisation",
                "axes.view_accessattempt",
                "axes.delete_accessattempt",
                "api.view_apitoken",
                "api.change_apitoken",
                "api.view_webhooksubscription",
                "api.add_webhooksubscription",
                "api.change_webhooksubscription",
                # Issue 18: messages kept unsent when no Notify key is set.
                "notifications.view_outbox",
            },
        ),
        ("disclosure", {"records.subject_access"}),
    ],
)
def test_each_role_has_exactly_its_permissions(request, user_fixture, expected):
    user = request.getfixturevalue(user_fixture)
    assert user.get_all_permissions() == expected
