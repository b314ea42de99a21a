"""Every URL of the project, for every role: the status each gets, GET and POST.

The URL list comes from the resolver, so a new page is walked automatically, and a page
nobody declared below FAILS this test: add its line to EXPECTED (and its kwargs to KWARGS) when
you add the URL, after deciding who may use it. A POST is sent with no data (and a valid CSRF
session), so a role that may not change data must be refused whatever the form would hold.

Notation: "officer,sergeant=200 *=403" gives a status per role; "*" is every other signed-in
role. Anonymous visitors are sent to sign in (302 to the login page) unless a spec says
"anon=..." (public pages). Each request runs inside a savepoint that is rolled back, so one
request's effects (a transition, a sign-out) cannot change the next one's result.

Skipped, with reason:
- admin/: Django's admin site has its own staff check (is_staff) and is not part of the service
  for these roles; none of the role accounts is staff, so every admin page redirects them to the
  admin login.
- static files are served by WhiteNoise before URL resolution, so they are not URL patterns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from hub.roles import Role
from tests.factories import make_user
from tests.security.world import World, build_world

pytestmark = pytest.mark.django_db

ROLES = ["anon", "officer", "sergeant", "caseworker", "analyst", "admin"]
SKIPPED_PREFIXES = ("admin/",)
LOGIN = "login"  # 302 to the sign-in page


@dataclass(frozen=True)
class Expect:
    get: str
    post: str


# Who may use each page. Read with the notation in the module docstring.
POLICE = "officer,sergeant"
POLICE_PAGE = f"{POLICE}=200 *=403"
ADMIN_PAGE = "admin=200 *=403"
SERGEANT_PAGE = "sergeant=200 *=403"
CASEWORKER_PAGE = "caseworker=200 *=403"
REMINDERS_PAGE = f"{POLICE},caseworker=200 *=403"
NOTIFIED = "officer,sergeant,caseworker"
NOTIFIED_PAGE = f"{NOTIFIED}=200 *=403"

EXPECTED: dict[str, Expect] = {
    # Public and every signed-in user.
    "home": Expect(get="*=302", post="*=302"),
    "login": Expect(get="anon=200 *=200", post="anon=200 *=200"),
    "logout": Expect(get="*=405", post="*=login"),
    "accessibility": Expect(get="anon=200 *=200", post="anon=200 *=200"),
    "healthz": Expect(get="anon=200 *=200", post="anon=405 *=405"),
    "hub:no_role": Expect(get="*=200", post="*=200"),
    # Two-factor pages: every signed-in user, for their own account.
    "security:two_factor_setup": Expect(get="*=200", post="*=200"),
    "security:two_factor_verify": Expect(get="*=302", post="*=302"),
    # The person register: police only.
    "hub:person_search": Expect(get=POLICE_PAGE, post="*=405"),
    "hub:person_create": Expect(get=POLICE_PAGE, post=POLICE_PAGE),
    "hub:person_detail": Expect(get=POLICE_PAGE, post=POLICE_PAGE),
    "hub:person_edit": Expect(get=POLICE_PAGE, post=POLICE_PAGE),
    "hub:offence_create": Expect(get=POLICE_PAGE, post=POLICE_PAGE),
    # Administrators.
    "hub:audit_log": Expect(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "security:account_list": Expect(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "security:account_detail": Expect(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "security:account_sign_out_everywhere": Expect(get="*=405", post=ADMIN_PAGE),
    "security:account_reset_two_factor": Expect(get="*=405", post=ADMIN_PAGE),
    "security:account_issue_enrolment_code": Expect(get="*=405", post=ADMIN_PAGE),
    "security:account_clear_two_factor_failures": Expect(get="*=405", post=ADMIN_PAGE),
    "security:retention_list": Expect(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "security:retention_review": Expect(get=ADMIN_PAGE, post=ADMIN_PAGE),
    # Cautions workflow: police; decisions by authorising officers (sergeant or above) only.
    "cautions:case_list": Expect(get=POLICE_PAGE, post="*=405"),
    "cautions:case_list_export": Expect(get=POLICE_PAGE, post=POLICE_PAGE),
    "cautions:worklist": Expect(get=POLICE_PAGE, post="*=405"),
    "cautions:start": Expect(get="*=405", post=f"{POLICE}=400 *=403"),
    "cautions:case_detail": Expect(get=POLICE_PAGE, post="*=405"),
    "cautions:case_assessment": Expect(get=POLICE_PAGE, post="*=405"),
    "cautions:case_support": Expect(get=POLICE_PAGE, post="*=405"),
    "cautions:case_history": Expect(get=POLICE_PAGE, post="*=405"),
    "cautions:eligibility": Expect(get=POLICE_PAGE, post=POLICE_PAGE),
    "cautions:needs": Expect(get=POLICE_PAGE, post=POLICE_PAGE),
    "cautions:victim_views": Expect(get=POLICE_PAGE, post=POLICE_PAGE),
    "cautions:propose": Expect(get=POLICE_PAGE, post=POLICE_PAGE),
    "cautions:victim_informed": Expect(get=POLICE_PAGE, post=POLICE_PAGE),
    "cautions:signature": Expect(get=POLICE_PAGE, post=POLICE_PAGE),
    "cautions:submit": Expect(get="*=405", post=f"{POLICE}=302 *=403"),
    "cautions:authorise": Expect(get=SERGEANT_PAGE, post=SERGEANT_PAGE),
    "cautions:administer": Expect(get=POLICE_PAGE, post=POLICE_PAGE),
    "cautions:print": Expect(get=POLICE_PAGE, post="*=405"),
    "cautions:court_outcome": Expect(get=POLICE_PAGE, post=POLICE_PAGE),
    "cautions:withdraw": Expect(get=POLICE_PAGE, post=POLICE_PAGE),
    "cautions:reopen": Expect(get=SERGEANT_PAGE, post=SERGEANT_PAGE),
    "cautions:condition_complied": Expect(get=POLICE_PAGE, post=POLICE_PAGE),
    "cautions:condition_not_complied": Expect(get=POLICE_PAGE, post=POLICE_PAGE),
    "cautions:condition_vary": Expect(get=POLICE_PAGE, post=POLICE_PAGE),
    "cautions:condition_end": Expect(get=POLICE_PAGE, post=POLICE_PAGE),
    "cautions:condition_add": Expect(get=POLICE_PAGE, post=POLICE_PAGE),
    "cautions:extend_period": Expect(get=POLICE_PAGE, post=POLICE_PAGE),
    "cautions:condition_payments": Expect(get=POLICE_PAGE, post=POLICE_PAGE),
    "cautions:breach_decide": Expect(get=SERGEANT_PAGE, post=SERGEANT_PAGE),
    # Referrals: support caseworkers act on their provider's referrals; police read them and
    # make referrals; nobody else sees them.
    "referrals:inbox": Expect(get=CASEWORKER_PAGE, post="*=405"),
    "referrals:detail": Expect(get=f"{POLICE},caseworker=200 *=403", post="*=405"),
    "referrals:accept": Expect(get=CASEWORKER_PAGE, post=CASEWORKER_PAGE),
    "referrals:return": Expect(get=CASEWORKER_PAGE, post=CASEWORKER_PAGE),
    "referrals:session_create": Expect(get=CASEWORKER_PAGE, post=CASEWORKER_PAGE),
    "referrals:progress_create": Expect(get=CASEWORKER_PAGE, post=CASEWORKER_PAGE),
    "referrals:close": Expect(get=CASEWORKER_PAGE, post=CASEWORKER_PAGE),
    "referrals:session_edit": Expect(get=CASEWORKER_PAGE, post=CASEWORKER_PAGE),
    "referrals:session_correct": Expect(get=CASEWORKER_PAGE, post=CASEWORKER_PAGE),
    "referrals:create": Expect(get=POLICE_PAGE, post=POLICE_PAGE),
    "referrals:flag_acknowledge": Expect(get="*=405", post=f"{POLICE}=302 *=403"),
    # Appointments (issue 18): the provider's caseworkers only; police read them on the case.
    "referrals:appointment_book": Expect(get=CASEWORKER_PAGE, post=CASEWORKER_PAGE),
    "referrals:appointment_reschedule": Expect(get=CASEWORKER_PAGE, post=CASEWORKER_PAGE),
    "referrals:appointment_cancel": Expect(get=CASEWORKER_PAGE, post=CASEWORKER_PAGE),
    "referrals:appointment_attendance": Expect(get=CASEWORKER_PAGE, post=CASEWORKER_PAGE),
    # Reporting: OPCC analysts (aggregates only); imports also for administrators.
    "reporting:dashboard": Expect(get="analyst=200 *=403", post="analyst=200 *=403"),
    "reporting:export": Expect(get="analyst=200 *=403", post="analyst=200 *=403"),
    "reporting:import": Expect(get="analyst,admin=200 *=403", post="analyst,admin=200 *=403"),
    # The partner API (issue 14), called with a bearer token of the role's user (API_PREFIX):
    # 401 without one; what the user may do decides the rest, as on the pages. An empty POST
    # is a 400 naming the missing field where the user may write.
    "api:referral_list": Expect(
        get=f"anon=401 {POLICE},caseworker=200 *=403", post="anon=401 *=405"
    ),
    "api:referral_detail": Expect(
        get=f"anon=401 {POLICE},caseworker=200 *=404", post="anon=401 *=405"
    ),
    "api:referral_accept": Expect(
        get="anon=401 *=405", post=f"anon=401 caseworker=200 {POLICE}=403 *=404"
    ),
    "api:referral_return": Expect(
        get="anon=401 *=405", post=f"anon=401 caseworker=400 {POLICE}=403 *=404"
    ),
    "api:referral_sessions": Expect(
        get="anon=401 caseworker=200 officer,sergeant=403 *=404",
        post=f"anon=401 caseworker=400 {POLICE}=403 *=404",
    ),
    # Appointments (issue 18): police read them (without place or reasons); the provider's
    # caseworkers book and change them.
    "api:referral_appointments": Expect(
        get=f"anon=401 {POLICE},caseworker=200 *=404",
        post=f"anon=401 caseworker=400 {POLICE}=403 *=404",
    ),
    "api:appointment_detail": Expect(
        get=f"anon=401 {POLICE},caseworker=200 *=404", post="anon=401 *=405"
    ),
    "api:appointment_cancel": Expect(
        get="anon=401 *=405", post=f"anon=401 caseworker=400 {POLICE}=403 *=404"
    ),
    "api:appointment_attendance": Expect(
        get="anon=401 *=405", post=f"anon=401 caseworker=400 {POLICE}=403 *=404"
    ),
    "api:case_detail": Expect(get=f"anon=401 {POLICE}=200 *=404", post="anon=401 *=405"),
    "api:person_create": Expect(get="anon=401 *=405", post=f"anon=401 {POLICE}=400 *=403"),
    "api:person_detail": Expect(get=f"anon=401 {POLICE}=200 *=403", post="anon=401 *=405"),
    "api:offence_create": Expect(get="anon=401 *=405", post=f"anon=401 {POLICE}=400 *=403"),
    "api:report_reoffending": Expect(get="anon=401 analyst=200 *=403", post="anon=401 *=405"),
    "api:schema": Expect(get="anon=200 *=200", post="anon=405 *=405"),
    "api:docs": Expect(get="anon=200 *=200", post="anon=405 *=405"),
    # API tokens: administrators see and revoke them (pages, not the API).
    "api_tokens:token_list": Expect(get=ADMIN_PAGE, post="admin=405 *=403"),
    "api_tokens:token_revoke": Expect(get="admin=405 *=403", post="admin=302 *=403"),
    "webhooks:list": Expect(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "webhooks:deliveries": Expect(get=ADMIN_PAGE, post=ADMIN_PAGE),
    "webhooks:redeliver": Expect(get="admin=405 *=403", post="admin=302 *=403"),
    "reporting:match_imported": Expect(get=POLICE_PAGE, post=POLICE_PAGE),
    # Records: merging people (sergeants); subject access (the disclosure team only, a role
    # outside this matrix: tests/records/test_views.py walks it). The world holds no merge,
    # so undoing one is "not found" for a sergeant.
    "records:merge": Expect(get=SERGEANT_PAGE, post=SERGEANT_PAGE),
    "records:unmerge": Expect(get="sergeant=404 *=403", post="sergeant=404 *=403"),
    "records:subject_access_search": Expect(get="*=403", post="*=405"),
    "records:subject_access": Expect(get="*=403", post="*=403"),
    # Reminders to the person (issue 18): officers and the provider's caseworkers record
    # consent; administrators read the outbox; Notify posts receipts with a bearer token
    # (none here, so 401, signed in or not).
    "notifications:reminders": Expect(get=REMINDERS_PAGE, post="*=405"),
    "notifications:consent_record": Expect(get=REMINDERS_PAGE, post=REMINDERS_PAGE),
    "notifications:consent_withdraw": Expect(
        get=REMINDERS_PAGE, post=f"{POLICE},caseworker=302 *=403"
    ),
    "notifications:outbox": Expect(get=ADMIN_PAGE, post="*=405"),
    "notify:callback": Expect(get="anon=405 *=405", post="anon=401 *=401"),
    # Staff notifications (issue 18): police and caseworkers, each their own; OPCC analysts
    # and administrators are never notified. The one followed is the officer's: another
    # user's is not found.
    "notifications:staff_list": Expect(get=NOTIFIED_PAGE, post=NOTIFIED_PAGE),
    "notifications:staff_open": Expect(
        get="officer=302 sergeant,caseworker=404 *=403",
        post="officer=302 sergeant,caseworker=404 *=403",
    ),
    "notifications:staff_mark_all_read": Expect(
        get=f"{NOTIFIED}=405 *=403", post=f"{NOTIFIED}=302 *=403"
    ),
    "notifications:staff_preferences": Expect(get=NOTIFIED_PAGE, post=NOTIFIED_PAGE),
}


def _notification_for_matrix(world):
    from notifications.staff_models import StaffNotification

    notification, _ = StaffNotification.objects.get_or_create(
        dedupe_key="matrix",
        defaults={
            "user": world.users["officer"],
            "kind": "referral_returned",
            "text": "Case CC-2026-1: the referral was returned.",
            "link": f"/cases/{world.case.pk}/",
        },
    )
    return notification


def _delivery_for_matrix(world):
    """A failed delivery (redeliverable) to a webhook of the caseworker's organisation."""
    from django.utils import timezone

    from api.models import WebhookDelivery, WebhookSubscription

    subscription, _ = WebhookSubscription.objects.get_or_create(
        organisation=world.users["caseworker"].profile.organisation,
        url="https://partner.example/hooks",
        defaults={"secret": "s" * 20, "events": ["referral.accepted"]},
    )
    delivery, _ = WebhookDelivery.objects.get_or_create(
        subscription=subscription,
        event_id="00000000-0000-0000-0000-000000000001",
        defaults={
            "event_type": "referral.accepted",
            "occurred_at": timezone.now(),
            "resource": "https://hub.example/api/v1/referrals/1/",
            "status": "failed",
        },
    )
    return delivery


# Routes of the API proper: requests carry the role's bearer token, not a session.
API_PREFIX = "api/v1/"


def _token_for_matrix(world):
    from api.tokens import token_create

    token, _raw = token_create(user=world.users["officer"], name="matrix")
    return token


# URL kwargs from the world's objects, by URL name.
KWARGS: dict[str, Callable[[World], dict]] = {
    "hub:person_detail": lambda w: {"pk": w.person.pk},
    "hub:person_edit": lambda w: {"pk": w.person.pk},
    "hub:offence_create": lambda w: {"pk": w.person.pk},
    "security:account_detail": lambda w: {"pk": w.users["officer"].pk},
    "security:account_sign_out_everywhere": lambda w: {"pk": w.users["officer"].pk},
    "security:account_reset_two_factor": lambda w: {"pk": w.users["officer"].pk},
    "security:account_issue_enrolment_code": lambda w: {"pk": w.users["officer"].pk},
    "security:account_clear_two_factor_failures": lambda w: {"pk": w.users["officer"].pk},
    "security:retention_review": lambda w: {"pk": w.due_case.pk},
    # Cautions: the active case (with a provider condition and a referral) unless stated.
    "cautions:case_detail": lambda w: {"pk": w.case.pk},
    "cautions:case_assessment": lambda w: {"pk": w.case.pk},
    "cautions:case_support": lambda w: {"pk": w.case.pk},
    "cautions:case_history": lambda w: {"pk": w.case.pk},
    "cautions:eligibility": lambda w: {"pk": w.awaiting_case.pk},
    "cautions:needs": lambda w: {"pk": w.awaiting_case.pk},
    "cautions:victim_views": lambda w: {"pk": w.awaiting_case.pk},
    "cautions:propose": lambda w: {"pk": w.authorised_case.pk},
    "cautions:victim_informed": lambda w: {"pk": w.case.pk},
    "cautions:signature": lambda w: {"pk": w.authorised_case.pk},
    "cautions:submit": lambda w: {"pk": w.awaiting_case.pk},
    "cautions:authorise": lambda w: {"pk": w.awaiting_case.pk},
    "cautions:administer": lambda w: {"pk": w.authorised_case.pk},
    "cautions:print": lambda w: {"pk": w.case.pk},
    "cautions:court_outcome": lambda w: {"pk": w.case.pk},
    "cautions:withdraw": lambda w: {"pk": w.case.pk},
    "cautions:reopen": lambda w: {"pk": w.case.pk},
    "cautions:condition_complied": lambda w: {"case_pk": w.case.pk, "pk": w.condition.pk},
    "cautions:condition_not_complied": lambda w: {"case_pk": w.case.pk, "pk": w.condition.pk},
    "cautions:condition_vary": lambda w: {"case_pk": w.case.pk, "pk": w.condition.pk},
    "cautions:condition_end": lambda w: {"case_pk": w.case.pk, "pk": w.condition.pk},
    "cautions:condition_add": lambda w: {"pk": w.case.pk},
    "cautions:extend_period": lambda w: {"pk": w.case.pk},
    "cautions:condition_payments": lambda w: {
        "case_pk": w.case.pk,
        "pk": w.extra["amount_condition"].pk,
    },
    "cautions:breach_decide": lambda w: {"case_pk": w.breach_case.pk, "pk": w.breach.pk},
    # Referrals: the referral of the caseworker's own provider, in progress with one session.
    "referrals:detail": lambda w: {"pk": w.referral.pk},
    "referrals:accept": lambda w: {"pk": w.new_referral.pk},
    "referrals:return": lambda w: {"pk": w.new_referral.pk},
    "referrals:session_create": lambda w: {"pk": w.referral.pk},
    "referrals:progress_create": lambda w: {"pk": w.referral.pk},
    "referrals:close": lambda w: {"pk": w.referral.pk},
    "referrals:session_edit": lambda w: {"pk": w.session.pk},
    "referrals:session_correct": lambda w: {"pk": w.session.pk},
    "referrals:create": lambda w: {"case_pk": w.case.pk},
    "referrals:flag_acknowledge": lambda w: {"pk": w.flag.pk},
    "referrals:appointment_book": lambda w: {"pk": w.referral.pk},
    "referrals:appointment_reschedule": lambda w: {"pk": w.extra["appointment"].pk},
    "referrals:appointment_cancel": lambda w: {"pk": w.extra["appointment"].pk},
    "referrals:appointment_attendance": lambda w: {"pk": w.extra["appointment"].pk},
    "reporting:export": lambda w: {"table": "headline"},
    "api:referral_detail": lambda w: {"pk": w.referral.pk},
    "api:referral_accept": lambda w: {"pk": w.new_referral.pk},
    "api:referral_return": lambda w: {"pk": w.new_referral.pk},
    "api:referral_sessions": lambda w: {"pk": w.referral.pk},
    "api:referral_appointments": lambda w: {"pk": w.referral.pk},
    "api:appointment_detail": lambda w: {"pk": w.extra["appointment"].pk},
    "api:appointment_cancel": lambda w: {"pk": w.extra["appointment"].pk},
    "api:appointment_attendance": lambda w: {"pk": w.extra["appointment"].pk},
    "api:case_detail": lambda w: {"pk": w.case.pk},
    "api:person_detail": lambda w: {"pk": w.person.pk},
    "api:offence_create": lambda w: {"pk": w.person.pk},
    "api_tokens:token_revoke": lambda w: {"pk": _token_for_matrix(w).pk},
    "webhooks:deliveries": lambda w: {"pk": _delivery_for_matrix(w).subscription_id},
    "webhooks:redeliver": lambda w: {"pk": _delivery_for_matrix(w).pk},
    "notifications:staff_open": lambda w: {"pk": _notification_for_matrix(w).pk},
    "reporting:match_imported": lambda w: {"pk": w.person.pk},
    "records:merge": lambda w: {"pk": w.person.pk},
    "records:unmerge": lambda w: {"pk": w.person.pk},
    "records:subject_access": lambda w: {"pk": w.person.pk},
    "notifications:reminders": lambda w: {"pk": w.person.pk},
    "notifications:consent_record": lambda w: {"pk": w.person.pk},
    "notifications:consent_withdraw": lambda w: {"pk": w.person.pk},
}


def url_names() -> list[tuple[str, str]]:
    """(name, route) of every named URL pattern, namespaces included, admin/ skipped."""
    found = []

    def walk(patterns, prefix: str, namespace: str | None):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"URL {route!r} has no name: name it and declare it here"
                found.append((f"{namespace}:{pattern.name}" if namespace else pattern.name, route))

    walk(get_resolver().url_patterns, "", None)
    return found


def parse(spec: str) -> dict[str, int | str]:
    statuses: dict[str, int | str] = {"anon": LOGIN}
    default = None
    for part in spec.split():
        roles, status = part.split("=")
        value: int | str = LOGIN if status == LOGIN else int(status)
        for role in roles.split(","):
            if role == "*":
                default = value
            else:
                statuses[role] = value
    for role in ROLES[1:]:
        if role not in statuses:
            assert default is not None, f"{spec!r} gives no status for {role}"
            statuses[role] = default
    return statuses


def users() -> dict:
    return {
        "officer": make_user(Role.OFFICER, username="officer1"),
        "sergeant": make_user(Role.AUTHORISING_OFFICER, username="sergeant1"),
        "caseworker": make_user(Role.CASEWORKER, username="caseworker1"),
        "analyst": make_user(Role.ANALYST, username="analyst1"),
        "admin": make_user(Role.ADMINISTRATOR, username="admin1"),
    }


@pytest.fixture
def world() -> World:
    return build_world(users())


def test_every_url_is_declared():
    names = {name for name, _route in url_names()}
    missing = sorted(names - set(EXPECTED))
    assert not missing, (
        "These URLs have no declared access expectation. Decide who may use each and add it to "
        f"EXPECTED (and KWARGS if it takes arguments) in {__file__}: {missing}"
    )
    stale = sorted(set(EXPECTED) - names)
    assert not stale, f"EXPECTED declares URLs that no longer exist: {stale}"


def request_status(client, method: str, url: str) -> tuple[int, str]:
    """One request whose effects are rolled back (database and cookies)."""
    saved = SimpleCookie()
    saved.load(client.cookies.output(header="", sep=";"))
    savepoint = transaction.savepoint()
    try:
        response = getattr(client, method)(url)
    finally:
        transaction.savepoint_rollback(savepoint)
        client.cookies = saved
    return response.status_code, response.get("Location", "")


def matches(expected, status: int, location: str) -> bool:
    if expected == LOGIN:
        return status == 302 and location.startswith(reverse("login"))
    return status == expected


def api_client(user):
    """A test client carrying a new bearer token of `user` (None: no token)."""
    from rest_framework.test import APIClient

    from api.tokens import token_create

    client = APIClient()
    client.raise_request_exception = False
    if user is not None:
        _token, raw = token_create(user=user, name="tests")
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.mark.parametrize("role", ROLES)
def test_url_matrix(client, world, role):
    client.raise_request_exception = False  # a server error is a status like any other here
    if role != "anon":
        client.force_login(world.users[role])
    token_client = api_client(None if role == "anon" else world.users[role])
    problems = []
    for name, route in url_names():
        if name not in EXPECTED:
            continue  # reported by test_every_url_is_declared
        expect = EXPECTED[name]
        needs_kwargs = "<" in route
        if needs_kwargs and name not in KWARGS:
            problems.append(f"{name}: add a KWARGS entry to fill {route}")
            continue
        url = reverse(name, kwargs=KWARGS[name](world) if needs_kwargs else None)
        for method, spec in (("get", expect.get), ("post", expect.post)):
            wanted = parse(spec)[role]
            status, location = request_status(
                token_client if route.startswith(API_PREFIX) else client, method, url
            )
            if not matches(wanted, status, location):
                problems.append(f"{method.upper()} {url} ({name}): expected {wanted}, got {status}")
    assert not problems, f"{role}:\n" + "\n".join(problems)
