"""Hostile input to every form: never a server error, never a half-written record, HTML shown
as text, CSRF enforced, double submission harmless.

Property-based (hypothesis): for each form page the test reads the page's own field names, then
posts generated values (over-long text, HTML and script, wrong types, NUL bytes, dates far in
the past or future) mixed with the page's own hidden values. Each post runs in a savepoint that
is rolled back, so examples do not see each other's records. Runs are small (CI runs twice).
"""

import datetime as dt
import re

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.models import Offence, Person
from tests.crosscutting.test_url_matrix import KWARGS, users
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

# Per form page: about 25 pages x 10 = 250 examples in all, a few seconds per role.
EXAMPLES = 10

# (role, URL name) of every form page to attack. A new form page belongs here.
FORM_PAGES = [
    ("officer", "hub:person_create"),
    ("officer", "hub:person_edit"),
    ("officer", "hub:offence_create"),
    ("officer", "cautions:eligibility"),
    ("officer", "cautions:needs"),
    ("officer", "cautions:victim_views"),
    ("officer", "cautions:administer"),
    ("officer", "cautions:court_outcome"),
    ("officer", "cautions:withdraw"),
    ("sergeant", "cautions:reopen"),
    ("officer", "cautions:case_list_export"),
    ("officer", "cautions:condition_complied"),
    ("officer", "cautions:condition_not_complied"),
    ("officer", "cautions:condition_vary"),
    ("officer", "cautions:condition_end"),
    ("officer", "cautions:condition_add"),
    ("officer", "cautions:extend_period"),
    ("officer", "cautions:condition_payments"),
    ("officer", "referrals:create"),
    ("sergeant", "cautions:authorise"),
    ("sergeant", "cautions:breach_decide"),
    ("caseworker", "referrals:accept"),
    ("caseworker", "referrals:return"),
    ("caseworker", "referrals:session_create"),
    ("caseworker", "referrals:progress_create"),
    ("caseworker", "referrals:close"),
    ("caseworker", "referrals:session_edit"),
    ("caseworker", "referrals:session_correct"),
    ("admin", "security:retention_review"),
    ("admin", "security:account_detail"),
    ("analyst", "reporting:export"),
    ("analyst", "reporting:import"),
]

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
hostile_text = st.one_of(
    st.text(max_size=40),
    st.just(SCRIPT),
    st.just("A" * 5_000),
    st.just("\x00null byte"),
    st.just("' OR 1=1 --"),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(["", " ", "0", "-1", "1e309", "NaN", "true", "[]", "{}", "9999-99-99"]),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(
        lambda d: d.isoformat()
    ),
    st.sampled_from(["0001-01-01", "9999-12-31", "1899-12-31", "2999-01-01", "31/02/2020"]),
)

FIELD = re.compile(r'<(input|textarea|select)\b[^>]*\bname="([^"]+)"[^>]*>', re.IGNORECASE)
VALUE = re.compile(r'\bvalue="([^"]*)"')

WATCHED_MODELS = [
    "hub.Person",
    "hub.Offence",
    "hub.ImportBatch",
    "hub.ReoffenceRecord",
    "cautions.Case",
    "cautions.Condition",
    "cautions.CaseEvent",
    "cautions.RetentionDecision",
    "cautions.Breach",
    "cautions.NeedAssessment",
    "cautions.Variation",
    "cautions.Payment",
    "referrals.Referral",
    "referrals.SupportSession",
    "referrals.ProgressReport",
    "referrals.ReferralEvent",
]


def counts() -> dict[str, int]:
    found = {}
    for label in WATCHED_MODELS:
        try:
            found[label] = apps.get_model(label).objects.count()
        except LookupError:
            continue
    return found


def form_fields(html: str) -> dict[str, str]:
    """Field name -> the page's own value (hidden inputs keep theirs), from the <form> HTML."""
    fields = {}
    for match in FIELD.finditer(html):
        tag, name = match.group(1), match.group(2)
        if name == "csrfmiddlewaretoken":
            continue
        value = VALUE.search(match.group(0))
        fields.setdefault(name, value.group(1) if value and tag.lower() == "input" else "")
    return fields


def attacker(client, url: str, name: str, fields: dict[str, str]):
    """A hypothesis test posting generated values for `fields` to `url`."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        data=st.fixed_dictionaries(
            {},
            optional={
                field: st.one_of(st.just(default), hostile_text) if default else hostile_text
                for field, default in fields.items()
            },
        )
    )
    def attack(data):
        savepoint = transaction.savepoint()
        try:
            before = counts()
            response = client.post(url, data)
            assert response.status_code < 500, (name, data)
            if response.status_code != 302:
                # Refused: nothing at all was written.
                assert counts() == before, (name, data, response.status_code)
                body = response.content.decode(errors="replace")
                assert "<script>alert(" not in body, (name, "unescaped script echoed")
        finally:
            transaction.savepoint_rollback(savepoint)

    return attack


@pytest.fixture
def world():
    return build_world(users())


@pytest.mark.parametrize("role", ["officer", "sergeant", "caseworker", "admin", "analyst"])
def test_hostile_posts_never_error_or_half_write(world, role):
    client = Client()
    client.force_login(world.users[role])
    attacked = 0
    for page_role, name in FORM_PAGES:
        if page_role != role:
            continue
        url = reverse(name, kwargs=KWARGS[name](world) if name in KWARGS else None)
        page = client.get(url)
        if page.status_code != 200:
            continue  # not a form in this state; the URL matrix covers its status
        fields = form_fields(page.content.decode())
        assert fields, f"{name}: no form fields found on {url}"
        attacked += 1

        attacker(client, url, name, fields)()
    assert attacked, f"no form page could be attacked as {role}"


def valid_person(**overrides) -> dict:
    data = {
        "first_name": "Alex",
        "last_name": "Example",
        "date_of_birth": "1990-05-17",
        "sex": "male",
        "ethnicity": "W1",
        "pnc_id": "18/0555555M",
        "district": str(apps.get_model("hub.District").objects.get(name="Cambridge").pk),
        "address": "",
        "phone": "",
        "email": "",
    }
    data.update(overrides)
    return data


def test_html_in_text_fields_is_escaped_on_output(as_user, officer):
    client = as_user(officer)
    response = client.post(
        reverse("hub:person_create"), valid_person(first_name=SCRIPT[:100], address=SCRIPT)
    )
    assert response.status_code == 302
    person = Person.objects.get()
    page = client.get(reverse("hub:person_detail", args=[person.pk])).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    search = client.get(reverse("hub:person_search"), {"name": "script"}).content.decode()
    assert "<script>alert" not in search


def test_double_submission_creates_one_record(as_user, officer):
    client = as_user(officer)
    first = client.post(reverse("hub:person_create"), valid_person())
    second = client.post(reverse("hub:person_create"), valid_person())
    assert first.status_code == 302
    assert second.status_code == 200  # the PNC ID is already recorded: said on the form
    assert Person.objects.count() == 1


def test_double_submission_of_a_transition_is_refused_without_error(world):
    client = Client()
    client.force_login(world.users["officer"])
    url = reverse("cautions:submit", args=[world.awaiting_case.pk])
    statuses = [client.post(url).status_code for _ in range(2)]
    assert all(status < 500 for status in statuses)


def test_missing_csrf_token_is_refused(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    refused = client.post(reverse("hub:person_create"), valid_person())
    assert refused.status_code == 403
    assert not Person.objects.exists()
    page = client.get(reverse("hub:person_create"))
    token = page.context["csrf_token"]
    accepted = client.post(
        reverse("hub:person_create"), {**valid_person(), "csrfmiddlewaretoken": str(token)}
    )
    assert accepted.status_code == 302
    assert Person.objects.count() == 1


def test_sign_in_without_csrf_token_is_refused(officer):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("login"), {"username": "officer1", "password": "correct-horse-battery"}
    )
    assert response.status_code == 403


def test_offence_far_dates_and_wrong_types_are_refused(as_user, officer):
    from tests.factories import PersonFactory

    person = PersonFactory()
    client = as_user(officer)
    for offence_date in ["0001-01-01", "9999-12-31", "yesterday", "2020-13-40"]:
        response = client.post(
            reverse("hub:offence_create", args=[person.pk]),
            {
                "category": "abc",
                "description": "x",
                "offence_date": offence_date,
                "gravity_score": "eleven",
            },
        )
        assert response.status_code == 200
    assert not Offence.objects.exists()


# ---------------------------------------------------------------------------------------------
# Issue 17 point 13: crafted numbers in addresses and hidden fields never give a server error,
# and a form without the version it was opened at is refused, not applied.

HUGE = "9" * 20  # past any 64-bit id
INTEGER_PARTS = ["0", "-1", HUGE, str(2**63), str(2**63 - 1), "00000000000000000001"]
RELOAD = "reload the page"


def test_crafted_case_ids_are_not_found(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.users["officer"])
    for section in ("", "assessment/", "support/", "history/", "eligibility/"):
        assert client.get(f"/cases/{HUGE}/{section}").status_code == 404, section


def test_a_crafted_person_number_in_the_access_log_filter_is_a_form_error(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.users["admin"])
    response = client.get(reverse("hub:audit_log"), {"person": HUGE})
    assert response.status_code == 200
    assert "<title>Error: Access log" in response.content.decode()


@pytest.mark.parametrize("version", ["abc", "", None, HUGE, "-1", "1e3"])
def test_sending_for_authorisation_needs_the_version_the_page_was_opened_at(world, version):
    from cautions.models import Case

    case = world.awaiting_case
    Case.objects.filter(pk=case.pk).update(status=Case.Status.ASSESSMENT)
    client = Client(raise_request_exception=False)
    client.force_login(world.users["officer"])
    data = {} if version is None else {"expected_version": version}
    response = client.post(reverse("cautions:submit", args=[case.pk]), data, follow=True)
    assert response.status_code == 200
    assert RELOAD in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.ASSESSMENT


@pytest.mark.parametrize("version", ["abc", None, HUGE])
def test_a_case_form_without_a_good_version_asks_to_reload(world, version):
    client = Client(raise_request_exception=False)
    client.force_login(world.users["officer"])
    url = reverse("cautions:withdraw", args=[world.case.pk])
    data = {"kind": "recorded_in_error", "reason": "Entered twice"}
    if version is not None:
        data["expected_version"] = version
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: " in page
    assert RELOAD in page  # in the error summary, not lost on a hidden field
    world.case.refresh_from_db()
    assert world.case.status != "withdrawn"


def integer_routes() -> list[tuple[str, str]]:
    from tests.crosscutting.test_url_matrix import url_names

    return [(name, route) for name, route in url_names() if "<int:" in route]


def crafted_urls(world, route: str, name: str) -> list[str]:
    """The URL with each integer part in turn replaced by each crafted value (the others real)."""
    kwargs = {key: str(value) for key, value in KWARGS[name](world).items()}
    urls = []
    for key in re.findall(r"<int:(\w+)>", route):
        for value in INTEGER_PARTS:
            parts = {**kwargs, key: value}
            urls.append("/" + re.sub(r"<\w+:(\w+)>", lambda m, p=parts: p[m.group(1)], route))
    return urls


@pytest.mark.parametrize("role", ["officer", "sergeant", "caseworker", "analyst", "admin"])
def test_crafted_integers_in_every_address_never_error(world, role):
    client = Client(raise_request_exception=False)
    client.force_login(world.users[role])
    problems = []
    routes = integer_routes()
    assert routes
    for name, route in routes:
        for url in crafted_urls(world, route, name):
            for method in ("get", "post"):
                savepoint = transaction.savepoint()
                try:
                    status = getattr(client, method)(url).status_code
                finally:
                    transaction.savepoint_rollback(savepoint)
                if status >= 500:
                    problems.append(f"{method.upper()} {url}: {status}")
    assert not problems, "\n".join(problems)


HIDDEN = re.compile(r'<input\b[^>]*\btype="hidden"[^>]*>', re.IGNORECASE)
NAME = re.compile(r'\bname="([^"]+)"')
hostile_hidden = st.one_of(
    st.sampled_from(INTEGER_PARTS),
    st.sampled_from(["", "abc", "1.5", "1e3", " 1", "NaN", "\x00", "[]", SCRIPT]),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.none(),  # left out altogether
)


def hidden_fields(html: str) -> set[str]:
    names = {NAME.search(tag).group(1) for tag in HIDDEN.findall(html) if NAME.search(tag)}
    return names - {"csrfmiddlewaretoken"}


def hidden_attacker(client, url: str, name: str, fields: dict[str, str], hidden: set[str]):
    """A hypothesis test posting the page's own values with crafted hidden fields."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(values=st.fixed_dictionaries({field: hostile_hidden for field in sorted(hidden)}))
    def attack(values):
        data = dict(fields)
        for key, value in values.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        savepoint = transaction.savepoint()
        try:
            before = counts()
            response = client.post(url, data)
            assert response.status_code < 500, (name, data)
            if response.status_code != 302:
                assert counts() == before, (name, data)
        finally:
            transaction.savepoint_rollback(savepoint)

    return attack


@pytest.mark.parametrize("role", ["officer", "sergeant", "caseworker", "admin", "analyst"])
def test_crafted_hidden_fields_never_error_or_half_write(world, role):
    client = Client()
    client.force_login(world.users[role])
    attacked = 0
    for page_role, name in FORM_PAGES:
        if page_role != role:
            continue
        url = reverse(name, kwargs=KWARGS[name](world) if name in KWARGS else None)
        page = client.get(url)
        if page.status_code != 200:
            continue
        html = page.content.decode()
        hidden = hidden_fields(html)
        if hidden:
            attacked += 1
            hidden_attacker(client, url, name, form_fields(html), hidden)()
    if role in ("officer", "sergeant"):
        assert attacked, f"no form page with hidden fields as {role}"


@pytest.mark.parametrize("total", ["9", "1008", HUGE])
def test_a_crafted_number_of_conditions_builds_no_more_than_the_page_allows(world, total):
    """A crafted TOTAL_FORMS made the caution page build and render 1,008 condition forms
    (30 s and 3 MB a request): now at most 8, with the refusal said on the page."""
    client = Client()
    client.force_login(world.users["officer"])
    response = client.post(
        reverse("cautions:administer", args=[world.authorised_case.pk]),
        {
            "caution-expected_version": "1",
            "conditions-TOTAL_FORMS": total,
            "conditions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert len(response.context["formset"].forms) <= 8
    assert "Please submit at most 8 forms" in response.content.decode()
