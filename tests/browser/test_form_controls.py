"""Every page a signed-in user can open, in Chromium: each label and each legend of a group
(radios, checkboxes, date parts) has a control the user can operate.

The gravity score once rendered as a label, a hint and no radios, and every offence silently
took its category's default. This walks every URL of the URL matrix (so a new page is walked
as soon as it is declared there) as the first role that may open it, on the objects of the
shared test world (a case in each state, referrals, sessions, a breach), and also the error
state of the offence form. `check_page` makes the same check on every page of every journey.
"""

import pytest
from django.urls import reverse

from hub.roles import Role
from tests.browser.pages import inoperable_fields
from tests.crosscutting.test_url_matrix import EXPECTED, KWARGS, ROLES, parse, url_names
from tests.factories import make_user
from tests.security.world import build_world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Pages that are not forms a user fills (downloads) or that sign the user out.
NOT_PAGES = {"reporting:export", "cautions:print", "healthz", "logout"}
# Extra query strings: filter forms in the state a user leaves them in.
QUERIES = {
    "cautions:case_list": "?status=active&date_from=2025-01-01",
    "reporting:dashboard": "?date_from=2025-01-01&date_to=2025-12-31",
    "hub:audit_log": "?date_from=2025-01-01",
    "hub:person_search": "?name=a",
}


def _users() -> dict:
    return {
        "officer": make_user(Role.OFFICER, username="officer1"),
        "sergeant": make_user(Role.AUTHORISING_OFFICER, username="sergeant1"),
        "caseworker": make_user(Role.CASEWORKER, username="caseworker1"),
        "analyst": make_user(Role.ANALYST, username="analyst1"),
        "admin": make_user(Role.ADMINISTRATOR, username="admin1"),
    }


def _pages_by_role(world) -> dict[str, list[str]]:
    """Each page once, as the first role (in ROLES order) that gets it with a 200."""
    pages: dict[str, list[str]] = {role: [] for role in ROLES}
    for name, route in url_names():
        if name in NOT_PAGES or name not in EXPECTED:
            continue
        if name.startswith("api:") and name != "api:docs":
            continue  # JSON for partner systems (with a token), not pages with forms
        statuses = parse(EXPECTED[name].get)
        role = next((r for r in ROLES if r != "anon" and statuses[r] == 200), None)
        if role is None:
            continue
        kwargs = KWARGS[name](world) if "<" in route else None
        pages[role].append(reverse(name, kwargs=kwargs) + QUERIES.get(name, ""))
    return pages


def test_every_label_on_every_page_has_an_operable_control(open_session):
    world = build_world(_users())
    pages = _pages_by_role(world)
    assert sum(len(urls) for urls in pages.values()) >= 40, pages
    visited = 0
    for role, urls in pages.items():
        if not urls:
            continue
        session = open_session(world.users[role].username)
        for url in urls:
            # open() runs check_page, which fails on a label or legend without a control.
            session.open(url)
            assert inoperable_fields(session.page) == [], url
            visited += 1
    assert visited == sum(len(urls) for urls in pages.values())


def test_offence_form_in_its_error_state_keeps_every_control(open_session):
    world = build_world(_users())
    officer = open_session("officer1")
    officer.open(reverse("hub:offence_create", args=[world.person.pk]))
    gravity = officer.in_group("Gravity score")
    assert gravity.get_by_role("radio").count() == 5
    gravity.get_by_label("3", exact=True).check()
    officer.press("Record offence")  # nothing else filled in
    assert officer.title.startswith("Error: ")
    assert inoperable_fields(officer.page) == []
    assert officer.in_group("Gravity score").get_by_label("3", exact=True).is_checked()
    assert "Enter the offence date" in officer.error_summary()
    officer.shot("05-offence-form-errors")
    # A date with its month left out: the error names the part, the summary links to it,
    # and what was typed stays.
    date = officer.in_group("Offence date")
    date.get_by_label("Day", exact=True).fill("27")
    date.get_by_label("Year", exact=True).fill("2025")
    officer.press("Record offence")
    assert "Offence date must include a month" in officer.error_summary()
    officer.page.get_by_role("link", name="Offence date must include a month").click()
    assert officer.page.evaluate("document.activeElement.id") == "id_offence_date_1"
    date = officer.in_group("Offence date")
    assert date.get_by_label("Day", exact=True).input_value() == "27"
    assert date.get_by_label("Year", exact=True).input_value() == "2025"
    officer.shot("06-offence-date-error")
    # The service's own page for an address that does not exist (checked like any page).
    officer.page.goto(officer.base_url + "/no-such-page/")
    officer.console_errors.clear()  # the browser logs the page's own 404 status
    officer.check()
    assert officer.h1 == "Page not found"
