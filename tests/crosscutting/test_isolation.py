"""Object-level isolation: guessing ids reaches nothing; roles cannot act beyond their role."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from cautions.models import Breach, Case
from hub.models import Person
from hub.models.people import ETHNICITY_GROUPS
from tests.crosscutting.test_url_matrix import EXPECTED, KWARGS, parse, url_names, users
from tests.factories import OrganisationFactory
from tests.referrals.factories import caseworker_of, in_progress_referral
from tests.security.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world(users())


@pytest.fixture
def other_provider_referral():
    provider_b = OrganisationFactory(name="Provider B")
    # A surname no other row can carry, so "not in the page" cannot pass or fail by chance
    # (Faker once gave this person the same surname as the caseworker's own client).
    return in_progress_referral(
        provider_b,
        caseworker=caseworker_of(provider_b),
        sessions=1,
        person__last_name="Unseen-Provider-B",
    )


REFERRAL_PAGES = [
    "referrals:detail",
    "referrals:accept",
    "referrals:return",
    "referrals:session_create",
    "referrals:progress_create",
    "referrals:close",
]
SESSION_PAGES = ["referrals:session_edit", "referrals:session_correct"]


def test_caseworker_gets_404_for_another_providers_referral_and_session(
    as_user, world, other_provider_referral
):
    client = as_user(world.users["caseworker"])
    referral = other_provider_referral
    session = referral.sessions.get()
    before = (referral.status, session.notes, referral.sessions.count())
    for method in ("get", "post"):
        for name in REFERRAL_PAGES:
            response = getattr(client, method)(reverse(name, args=[referral.pk]))
            # The detail page is GET-only: a POST is refused before the lookup.
            wanted = 405 if (name == "referrals:detail" and method == "post") else 404
            assert response.status_code == wanted, (method, name)
        for name in SESSION_PAGES:
            response = getattr(client, method)(reverse(name, args=[session.pk]))
            assert response.status_code == 404, (method, name)
    referral.refresh_from_db()
    session.refresh_from_db()
    assert (referral.status, session.notes, referral.sessions.count()) == before


def test_caseworker_cannot_open_another_providers_person(as_user, world, other_provider_referral):
    person = other_provider_referral.case.person
    client = as_user(world.users["caseworker"])
    # Caseworkers have no access to the person register at all (403 for every id), and see a
    # person only through their own provider's referrals (404 for anyone else's).
    assert client.get(reverse("hub:person_detail", args=[person.pk])).status_code == 403
    assert (
        client.get(
            reverse("cautions:case_detail", args=[other_provider_referral.case_id])
        ).status_code
        == 403
    )
    body = client.get(reverse("referrals:inbox")).content.decode()
    assert person.last_name not in body


def test_caseworker_sees_own_providers_referral(as_user, world):
    client = as_user(world.users["caseworker"])
    assert client.get(reverse("referrals:detail", args=[world.referral.pk])).status_code == 200


def test_officer_cannot_authorise_or_decide_a_breach(as_user, world):
    client = as_user(world.users["officer"])
    case = world.awaiting_case
    response = client.post(
        reverse("cautions:authorise", args=[case.pk]),
        {"decision": "authorise", "reason": "ok", "expected_version": case.version},
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHORISATION
    assert case.authorised_by is None
    breach = world.breach
    response = client.post(
        reverse("cautions:breach_decide", args=[world.breach_case.pk, breach.pk]),
        {
            "reasonable_excuse": "no",
            "excuse_assessment": "none",
            "decision": "no_further_action",
            "reason": "x",
            "expected_version": world.breach_case.version,
        },
    )
    assert response.status_code == 403
    assert Breach.objects.get(pk=breach.pk).decision == ""


def test_caseworker_cannot_act_on_police_pages(as_user, world):
    client = as_user(world.users["caseworker"])
    for name in ["cautions:authorise", "cautions:submit", "cautions:withdraw"]:
        response = client.post(reverse(name, args=[world.awaiting_case.pk]), {"reason": "x"})
        assert response.status_code == 403, name


def _identifiers(people) -> list[str]:
    """Names, PNC IDs and dates of birth of the people. A name that is also a staff member's
    is left out: staff names may show (who imported a file), and the random names of the
    test data sometimes coincide (a person and an administrator both called Louis). So is a
    name that is also an ethnic group the dashboard counts by (a Mr White)."""
    staff = set(ETHNICITY_GROUPS.values())
    for user in get_user_model().objects.all():
        staff |= {user.first_name, user.last_name, user.username}
    values = []
    for person in people:
        values += [person.first_name, person.last_name, person.pnc_id or ""]
        dob = person.date_of_birth
        if dob:
            values += [
                dob.isoformat(),
                dob.strftime("%d/%m/%Y"),
                f"{dob.day} {dob.strftime('%b')} {dob.year}",
                f"{dob.day} {dob.strftime('%B')} {dob.year}",
            ]
    return [value for value in values if value and len(value) > 2 and value not in staff]


def test_analyst_pages_and_exports_contain_no_personal_identifiers(world, immediate_tasks):
    """Every page the analyst may open (from the URL matrix) and every CSV/JSON export link on
    them: no seeded name, PNC ID or date of birth in any response."""
    client = Client()
    client.force_login(world.users["analyst"])
    identifiers = _identifiers(Person.objects.all())
    assert identifiers
    pages = []
    for name, route in url_names():
        if name not in EXPECTED or parse(EXPECTED[name].get)["analyst"] != 200:
            continue
        kwargs = KWARGS[name](world) if "<" in route else None
        pages.append(reverse(name, kwargs=kwargs))
    seen = set()
    checked = []
    while pages:
        url = pages.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200:
            continue
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode(errors="replace")
        checked.append(url)
        leaks = [value for value in identifiers if re.search(rf"\b{re.escape(value)}\b", body)]
        assert not leaks, f"{url} shows personal identifiers to an analyst: {leaks}"
        if response.get("Content-Type", "").startswith("text/html"):
            # Follow export and download links on the page (same site, reporting area).
            pages.extend(
                link.replace("&amp;", "&")
                for link in re.findall(r'href="(/reporting/[^"]*)"', body)
            )
    assert any(url.startswith("/reporting/") for url in checked), checked
    # The CSV downloads themselves (a justified disclosure, so a POST).
    for table in ("headline", "district", "age_band", "sex", "ethnicity_group"):
        response = client.post(
            reverse("reporting:export", args=[table]), {"justification": "Board report"}
        )
        if response.status_code == 404:
            continue  # no such table in this report
        assert response.status_code == 200, table
        assert response["Content-Type"].startswith("text/csv"), table
        body = response.content.decode()
        leaks = [value for value in identifiers if re.search(rf"\b{re.escape(value)}\b", body)]
        assert not leaks, f"export {table} shows personal identifiers to an analyst: {leaks}"
        checked.append(table)
    assert "headline" in checked
