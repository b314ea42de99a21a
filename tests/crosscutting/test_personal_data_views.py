"""s.62 logging is a property of the view layer (issue 17 point 5): every view declares whether
it shows personal data (`@personal_data(...)`, `@no_personal_data(reason)`, hub.personal_data),
and what it declares is what it does.

- Every URL's view is declared: a new view without a declaration FAILS here.
- Every page declared as showing one person's data writes an access-log entry naming the
  person and the object when it is shown (GET, for a role that may see it).
- A list page writes one entry, not one per row.
- A page declared without personal data writes no consultation.
- The Django admin's pages for people, offences, cases, referrals and national records log
  their lists, change pages and history (hub.personal_data.PersonalDataAdmin), and every
  ModelAdmin of the project declares one way or the other.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import resolve, reverse

from hub.models import AccessLog
from hub.personal_data import declaration_of
from tests.crosscutting.test_url_matrix import (
    API_PREFIX,
    EXPECTED,
    KWARGS,
    ROLES,
    api_client,
    parse,
    url_names,
    users,
)
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

PROJECT_APPS = {
    "hub",
    "cautions",
    "referrals",
    "notifications",
    "reporting",
    "records",
    "api",
    "demo",
}


@pytest.fixture
def world():
    return build_world(users())


def _url(world, name: str, route: str) -> str:
    return reverse(name, kwargs=KWARGS[name](world) if "<" in route else None)


def test_every_view_declares_whether_it_shows_personal_data(world):
    undeclared = []
    for name, route in url_names():
        view = resolve(_url(world, name, route)).func
        if declaration_of(view) is None:
            undeclared.append(name)
    assert not undeclared, (
        "Declare on each of these views whether it shows personal data: "
        "@personal_data(object_type, description, ...) or @no_personal_data(reason) from "
        f"hub.personal_data (see its docstring): {undeclared}"
    )


def _first_role_with_page(name: str) -> str | None:
    statuses = parse(EXPECTED[name].get)
    return next((role for role in ROLES[1:] if statuses[role] == 200), None)


def test_what_each_page_declares_is_what_it_logs(world):
    problems = []
    for name, route in url_names():
        role = _first_role_with_page(name)
        declaration = declaration_of(resolve(_url(world, name, route)).func)
        if role is None or declaration is None:
            continue
        url = _url(world, name, route)
        if route.startswith(API_PREFIX):
            client = api_client(world.users[role])
        else:
            client = Client()
            client.force_login(world.users[role])
        before = AccessLog.objects.count()
        params = {"name": "a"} if declaration.only_with_query else None
        response = client.get(url, params)
        assert response.status_code == 200, url
        written = list(AccessLog.objects.order_by("pk")[before:])
        if not declaration.shows_personal_data:
            if written:
                problems.append(f"{name}: declared without personal data but logged {written}")
            continue
        if not written:
            problems.append(f"{name}: shows personal data and wrote no access-log entry")
            continue
        if declaration.many:
            if len(written) != 1:
                problems.append(f"{name}: a list page wrote {len(written)} entries, not one")
        elif not any(entry.person_id and entry.object_id for entry in written):
            problems.append(f"{name}: no entry names the person and the object: {written}")
    assert not problems, "\n".join(problems)


def test_the_person_edit_form_is_logged_with_the_person(world):
    client = Client()
    client.force_login(world.users["officer"])
    client.get(reverse("hub:person_edit", args=[world.person.pk]))
    entry = AccessLog.objects.get()
    assert (entry.action, entry.object_type, entry.person) == (
        "consultation",
        "hub.person",
        world.person,
    )
    assert entry.object_id == str(world.person.pk)


def test_authorise_page_is_logged_for_the_case_it_shows(world):
    client = Client()
    client.force_login(world.users["sergeant"])
    case = world.awaiting_case
    client.get(reverse("cautions:authorise", args=[case.pk]))
    entry = AccessLog.objects.get()
    assert (entry.object_type, entry.object_id, entry.person_id) == (
        "cautions.case",
        str(case.pk),
        case.person_id,
    )
    assert case.reference in entry.description


def test_a_search_with_no_criteria_shows_no_one_and_logs_nothing(world):
    client = Client()
    client.force_login(world.users["officer"])
    client.get(reverse("hub:person_search"))
    assert not AccessLog.objects.exists()
    client.get(reverse("hub:person_search"), {"name": world.person.last_name})
    entry = AccessLog.objects.get()
    assert entry.object_type == "hub.person"
    assert world.person.last_name in entry.path


@pytest.mark.parametrize("rows", [1, 20])
def test_the_case_list_logs_one_entry_whatever_its_rows(as_user, officer, rows):
    from tests.cautions.factories import ActiveCaseFactory

    ActiveCaseFactory.create_batch(rows, officer=officer)
    as_user(officer).get(reverse("cautions:case_list"))
    assert AccessLog.objects.count() == 1


def test_a_refused_or_redirected_request_logs_nothing(world):
    client = Client()
    client.force_login(world.users["caseworker"])
    assert client.get(reverse("hub:person_edit", args=[world.person.pk])).status_code == 403
    assert client.get(reverse("cautions:worklist")).status_code == 403
    assert not AccessLog.objects.exists()


# ------------------------------------------------------------------------------- Django admin

ADMIN_PAGES_WITH_PEOPLE = ["hub.person", "hub.offence", "cautions.case", "referrals.referral"]


def test_every_project_model_admin_declares_whether_it_shows_personal_data():
    undeclared = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in PROJECT_APPS and declaration_of(model_admin) is None
    ]
    assert not undeclared, (
        "Give each ModelAdmin hub.personal_data.PersonalDataAdmin (pages about people) or a "
        f"`no_personal_data = 'reason'` attribute: {undeclared}"
    )


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("root", password="x" * 20)


def _admin_objects(world) -> dict:
    from cautions.models import Case
    from referrals.models import Referral

    return {
        "hub.person": world.person,
        "hub.offence": world.case.offence,
        "cautions.case": Case.objects.get(pk=world.case.pk),
        "referrals.referral": Referral.objects.get(pk=world.referral.pk),
    }


@pytest.mark.parametrize("label", ADMIN_PAGES_WITH_PEOPLE)
def test_admin_pages_about_people_are_logged(world, root, label):
    obj = _admin_objects(world)[label]
    app, model = label.split(".")
    client = Client()
    client.force_login(root)
    pages = {
        "list": f"/admin/{app}/{model}/",
        "change": f"/admin/{app}/{model}/{obj.pk}/change/",
        "history": f"/admin/{app}/{model}/{obj.pk}/history/",
    }
    for page, url in pages.items():
        before = AccessLog.objects.exclude(action="break_glass").count()
        assert client.get(url).status_code == 200, url
        written = list(AccessLog.objects.exclude(action="break_glass").order_by("pk")[before:])
        assert len(written) == 1, (page, written)
        entry = written[0]
        assert entry.action == "consultation"
        assert entry.object_type == label
        if page != "list":
            assert entry.object_id == str(obj.pk)
            assert entry.person_id == world.person.pk
