"""Journey 6: the main journeys' pages on a phone (issue 22, WCAG 2.2 1.4.10 Reflow).

Every page an officer, a sergeant, a caseworker, an analyst and an administrator reach in
their everyday work is opened at 375 and at 320 CSS pixels wide. On each one:

* the page never scrolls sideways: `document.scrollingElement.scrollWidth` is at most the
  viewport's width (a wide table scrolls inside its own labelled region, or becomes stacked
  rows, never the page);
* every check the other journeys make (axe-core WCAG A/AA, title, one h1: tests/browser/pages);
* every button in the page's main part is as wide as what holds it (one-handed use);
* on a list page, the list comes before the filters and the filters sit behind a closed
  "Filter" toggle that says how many filters are applied.

With SCREENSHOTS set, the 375 px run saves a few `phone-*.png` for the README's "On a phone".
"""

import datetime as dt

import pytest
from django.utils import timezone

from api.models import WebhookDelivery, WebhookSubscription
from api.tokens import token_create
from cautions.models import Case
from hub.models import Organisation
from hub.roles import Role
from notifications.models import Message
from notifications.outbox import queue_message
from notifications.services import consent_record
from referrals import services as referral_services
from tests.browser.pages import PageProblem
from tests.cautions.factories import (
    ActiveCaseFactory,
    AwaitingAuthorisationCaseFactory,
    BreachCaseFactory,
    CompliedCaseFactory,
    ConditionFactory,
)
from tests.factories import PersonFactory, make_user
from tests.referrals.factories import (
    booked_appointment,
    in_progress_referral,
    new_referral,
    started_appointment,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROVIDER = "Outside Links (HMP Peterborough)"  # created by hub's reference-data migration
PAGE_WIDTH = """() => ({scroll: document.scrollingElement.scrollWidth, viewport: innerWidth,
  wide: [...document.querySelectorAll("main *")]
    .filter(el => el.getBoundingClientRect().right > innerWidth + 1)
    .filter(el => !el.closest(".oh-table-scroll"))
    .slice(0, 3).map(el => el.tagName.toLowerCase() + "." + [...el.classList].join("."))})"""
# Buttons a thumb can hit: every button in the page's main part as wide as what holds it
# (a form around a button is looked through: it may itself have shrunk to the button).
NARROW_BUTTONS = """() => [...document.querySelectorAll("main .govuk-button")]
  .filter(b => b.checkVisibility())
  .map(b => {
    let holder = b.parentElement;
    while (holder.tagName === "FORM") holder = holder.parentElement;
    const style = getComputedStyle(holder);
    const room = holder.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return {text: b.textContent.trim(), width: b.getBoundingClientRect().width, room};
  })
  .filter(b => b.width < b.room - 2)
  .map(b => `${b.text} (${Math.round(b.width)} of ${Math.round(b.room)} px)`)"""
FILTER_FACTS = """() => {
  const toggle = document.querySelector("details[data-oh-filter-toggle]");
  const list = document.querySelector("[data-list]");
  const fields = toggle ? [...toggle.querySelectorAll("input:not([type=hidden]), select")] : [];
  return {
    toggle: !!toggle,
    open: !!toggle && toggle.open,
    summary: toggle ? toggle.querySelector("summary").textContent.replace(/\\s+/g, " ").trim() : "",
    applied: [...document.querySelectorAll(".oh-applied-filters li")].map(li => li.textContent),
    fieldsShown: fields.filter(f => f.checkVisibility()).length,
    listTop: list ? list.getBoundingClientRect().top + scrollY : null,
    viewport: innerHeight,
  };
}"""


# The README's "On a phone" screenshots (first screen only, as a phone shows it).
SHOTS = {
    "officer-worklist",
    "officer-cases-filtered",
    "officer-case",
    "caseworker-referrals-filtered",
    "caseworker-referral",
}
# List pages with filters: what the toggle says at 375 px.
FILTER_TOGGLES = {
    "officer-cases": "Filter",
    "officer-cases-filtered": "Filter (2 applied)",
    "caseworker-referrals": "Filter",
    "caseworker-referrals-filtered": "Filter (1 applied)",
    "admin-access-log": "Filter",
}


def _cases():
    """An officer's worklist with something in every panel, a sergeant's queue, a breach to
    decide, a referral in progress with sessions and a report that the person is not engaging,
    and a closed case for retention and the dashboard. Long names, to test the wrapping."""
    officer = make_user(Role.OFFICER, username="officer1", first_name="Priya", last_name="Shah")
    make_user(Role.AUTHORISING_OFFICER, username="sergeant1", first_name="Tom", last_name="Baker")
    provider = Organisation.objects.get(name=PROVIDER)
    make_user(Role.CASEWORKER, organisation=provider, username="caseworker1")
    make_user(Role.ANALYST, username="analyst1")
    make_user(Role.ADMINISTRATOR, username="admin1")
    today = timezone.localdate()
    person = PersonFactory(
        first_name="Alexandra-Louise", last_name="Montgomery-Fitzwilliam", pnc_id="15/100001A"
    )
    active = ActiveCaseFactory(officer=officer, offence__person=person, conditions=0)
    ConditionFactory(case=active, due_date=today - dt.timedelta(days=2))
    ConditionFactory(case=active, due_date=today + dt.timedelta(days=3))
    awaiting = AwaitingAuthorisationCaseFactory(officer=officer)
    # Assessed, not yet sent: "Send for authorisation" is a form's button in a button group.
    ready = AwaitingAuthorisationCaseFactory(officer=officer, status=Case.Status.ASSESSMENT)
    breach = BreachCaseFactory(officer=officer)
    referral = in_progress_referral(provider, case=active, sessions=2)
    referral_services.progress_report(
        referral=referral,
        actor=referral.assigned_to,
        kind="not_engaging",
        details="Missed two sessions in a row and does not answer the phone.",
    )
    # Appointments (issue 18): one that has taken place (attendance to record), one upcoming.
    started = started_appointment(referral)
    booked_appointment(referral, with_whom=referral.assigned_to)
    new_referral(provider)
    CompliedCaseFactory(officer=officer)
    # The API's administration pages (issue 14): a token and a webhook with a failed delivery.
    token_create(user=referral.assigned_to, name="Outside Links case management system")
    subscription = WebhookSubscription.objects.create(
        organisation=provider,
        url="https://cms.outside-links.example.org/hub-events/receive",
        secret="s" * 20,
        events=["referral.created", "referral.accepted", "referral.returned"],
    )
    webhook_delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event_id="00000000-0000-0000-0000-0000000000ab",
        event_type="referral.accepted",
        occurred_at=timezone.now(),
        resource=f"https://hub.example/api/v1/referrals/{referral.pk}/",
        status="failed",
        attempts=6,
        last_status_code=500,
        last_error="HTTP 500",
    )
    # Reminders (issue 18): consent, and a long reminder kept in the outbox.
    consent_record(
        person=person, user=officer, channel="sms", phone="07700 900 982", two_hours_before=True
    )
    reminder = queue_message(
        channel="sms",
        recipient="07700900982",
        body="Reminder: your appointment with Outside Links (HMP Peterborough) is tomorrow, "
        "4 December, at 10:00, at Unit 4, Commerce Road Industrial Estate, Peterborough PE2 6LR. "
        "If you cannot make it, please contact Outside Links (HMP Peterborough).",
        kind="appointment_day_before",
        dedupe_key="phone-journey",
        person=person,
    )
    Message.objects.filter(pk=reminder.pk).update(status=Message.Status.OUTBOX)
    return {
        "webhook": webhook_delivery.subscription,
        "active": active,
        "awaiting": awaiting,
        "ready": ready,
        "breach": breach,
        "referral": referral,
        "appointment": started,
        "person": person,
        "officer": officer,
    }


def _journeys(data) -> list[tuple[str, list[tuple[str, str]]]]:
    """(username, [(page name, path)]): the pages each role reaches in their daily work."""
    active, breach, referral, person = (data[k] for k in ("active", "breach", "referral", "person"))
    condition = active.conditions.first()
    return [
        (
            "officer1",
            [
                ("officer-worklist", "/cases/worklist/"),
                ("officer-cases", "/cases/"),
                ("officer-cases-filtered", "/cases/?status=active&q=Montgomery"),
                ("officer-case", f"/cases/{active.pk}/"),
                ("officer-case-ready", f"/cases/{data['ready'].pk}/"),
                ("officer-case-assessment", f"/cases/{active.pk}/assessment/"),
                ("officer-case-support", f"/cases/{active.pk}/support/"),
                ("officer-case-history", f"/cases/{active.pk}/history/"),
                ("officer-people", "/people/?name=Montgomery"),
                ("officer-person", f"/people/{person.pk}/"),
                ("officer-offence-form", f"/people/{person.pk}/offences/new/"),
                (
                    "officer-complied-form",
                    f"/cases/{active.pk}/conditions/{condition.pk}/complied/",
                ),
                ("officer-referral", f"/referrals/{referral.pk}/"),
                ("officer-reminders", f"/notifications/people/{person.pk}/"),
                ("officer-consent-form", f"/notifications/people/{person.pk}/consent/"),
                ("officer-notifications", "/notifications/"),
                ("officer-notification-emails", "/notifications/preferences/"),
            ],
        ),
        (
            "sergeant1",
            [
                ("sergeant-worklist", "/cases/worklist/"),
                ("sergeant-authorise", f"/cases/{data['awaiting'].pk}/authorise/"),
                (
                    "sergeant-breach",
                    f"/cases/{breach.pk}/breaches/{breach.breaches.first().pk}/decide/",
                ),
            ],
        ),
        (
            "caseworker1",
            [
                ("caseworker-referrals", "/referrals/"),
                ("caseworker-referrals-filtered", "/referrals/?status=in_progress&name=Montgomery"),
                ("caseworker-referral", f"/referrals/{referral.pk}/"),
                ("caseworker-session-form", f"/referrals/{referral.pk}/sessions/new/"),
                ("caseworker-appointment-book", f"/referrals/{referral.pk}/appointments/new/"),
                (
                    "caseworker-appointment-reschedule",
                    f"/referrals/appointments/{data['appointment'].pk}/reschedule/",
                ),
                (
                    "caseworker-appointment-cancel",
                    f"/referrals/appointments/{data['appointment'].pk}/cancel/",
                ),
                (
                    "caseworker-appointment-attendance",
                    f"/referrals/appointments/{data['appointment'].pk}/attendance/",
                ),
                ("caseworker-reminders", f"/notifications/people/{person.pk}/"),
                (
                    "caseworker-stop-reminders",
                    f"/notifications/people/{person.pk}/consent/withdraw/",
                ),
                ("caseworker-notifications", "/notifications/"),
            ],
        ),
        ("analyst1", [("analyst-dashboard", "/reporting/")]),
        (
            "admin1",
            [
                ("admin-access-log", "/access-log/"),
                ("admin-staff", "/staff/"),
                ("admin-staff-account", f"/staff/{data['officer'].pk}/"),
                ("admin-retention", "/retention/"),
                ("admin-imports", "/reporting/imports/"),
                ("admin-api-tokens", "/api-tokens/"),
                ("admin-webhooks", "/webhooks/"),
                ("admin-webhook-deliveries", f"/webhooks/{data['webhook'].pk}/deliveries/"),
                ("api-docs", "/api/docs/"),
                ("admin-outbox", "/notifications/outbox/"),
            ],
        ),
    ]


def _filter_problems(user, name: str, summary: str) -> list[str]:
    """The filters are closed behind a toggle that says how many are applied, and the list
    starts on the first screen."""
    facts = user.page.evaluate(FILTER_FACTS)
    problems = []
    if not facts["toggle"] or facts["open"] or facts["fieldsShown"]:
        problems.append(f"{name}: the filters must be closed behind a toggle: {facts}")
    if facts["summary"] != summary:
        problems.append(f"{name}: the toggle says {facts['summary']!r}, not {summary!r}")
    if summary != "Filter" and not facts["applied"]:
        problems.append(f"{name}: the applied filters are not listed")
    # Its first row, not just its heading, on the first screen.
    if facts["listTop"] is None or facts["listTop"] > facts["viewport"] - 150:
        problems.append(f"{name}: the list does not start on the first screen: {facts}")
    return problems


@pytest.mark.parametrize("width", [375, 320])
def test_every_page_fits_a_phone(open_session, width):
    data = _cases()
    overflowing, problems, widths = [], [], {}
    for username, pages in _journeys(data):
        user = open_session(username)
        user.page.set_viewport_size({"width": width, "height": 740})
        for name, path in pages:
            user.page.goto(user.base_url + path)
            try:
                user.check()
            except PageProblem as problem:
                problems.append(str(problem))
            facts = user.page.evaluate(PAGE_WIDTH)
            widths[name] = facts["scroll"]
            if facts["scroll"] > facts["viewport"]:
                overflowing.append(f"{name} ({path}): {facts['scroll']} px; {facts['wide']}")
            narrow = user.page.evaluate(NARROW_BUTTONS)
            if narrow:
                problems.append(f"{name}: buttons not full width: {narrow}")
            if name in FILTER_TOGGLES:
                problems.extend(_filter_problems(user, name, FILTER_TOGGLES[name]))
            if width == 375 and name in SHOTS:
                user.shot(f"phone-{name}", full_page=False)
    print(f"\nPage widths at {width} px:", widths)
    assert not problems, "\n".join(problems)
    assert not overflowing, f"Pages wider than {width} px:\n  " + "\n  ".join(overflowing)


@pytest.mark.parametrize("javascript", [True, False])
def test_filters_stay_in_view_on_a_larger_screen_and_open_on_a_phone(
    open_session, browser, javascript
):
    """On a desktop the referrals filters show as before, with or without JavaScript (where
    the <details> stays closed, hub.css shows its content); on a phone the toggle opens them."""
    provider = Organisation.objects.get(name=PROVIDER)
    make_user(Role.CASEWORKER, organisation=provider, username="caseworker1")
    new_referral(provider)
    user = open_session("caseworker1")
    page = user.page
    if not javascript:  # signed in with JavaScript (the page checks run axe), then without
        context = browser.new_context(
            java_script_enabled=False,
            storage_state=page.context.storage_state(),
            viewport={"width": 1280, "height": 900},
        )
        page = context.new_page()
    page.goto(user.base_url + "/referrals/?name=Nobody")
    name = page.get_by_label("Person's name")
    assert name.is_visible()
    assert name.input_value() == "Nobody"
    assert page.locator("summary").filter(has_text="Filter (1 applied)").count() == 1
    page.set_viewport_size({"width": 375, "height": 740})
    page.reload()
    assert not name.is_visible()
    page.get_by_text("Filter (1 applied)").click()
    assert name.is_visible()
    name.fill("Marsh")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()
    assert "name=Marsh" in page.url
    if not javascript:
        page.context.close()
