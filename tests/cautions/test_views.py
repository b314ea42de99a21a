"""The pages: what a user sees, refusals by role, and query-count bounds."""

import datetime as dt

import pytest
from django.http import Http404
from django.urls import reverse

from cautions.access import get_case_for_user
from cautions.eligibility import YES_NO_QUESTIONS
from cautions.models import Case, CaseEvent
from cautions.selectors import CASE_PAGE_CASE
from hub.models import AccessLog, ConditionType, NeedPathway
from tests.cautions import factories as f
from tests.cautions.helpers import today
from tests.factories import OffenceFactory

pytestmark = pytest.mark.django_db


def _post_walk(client, url, data, case):
    return client.post(url, {"expected_version": Case.objects.get(pk=case.pk).version, **data})


def test_officer_and_sergeant_walk_the_whole_journey_in_the_browser(as_user, officer, sergeant):
    offence = OffenceFactory()
    client = as_user(officer)
    # 1. Start from the person's page.
    page = client.get(reverse("hub:person_detail", args=[offence.person.pk]))
    assert b"Start a case" in page.content
    response = client.post(reverse("cautions:start"), {"offence": offence.pk})
    case = Case.objects.get(offence=offence)
    assert response["Location"] == reverse("cautions:case_detail", args=[case.pk])
    page = client.get(response["Location"])
    assert b"Next action:</strong> Check eligibility" in page.content
    # 2. Eligibility.
    answers = {
        "planned_caution_date": today().isoformat(),
        "admitted": "True",
        "admission_method": "interview",
        "sufficient_evidence": "True",
        "public_interest": "True",
        "previous_history_count": "0",
        **dict.fromkeys(YES_NO_QUESTIONS, "False"),
    }
    response = _post_walk(client, reverse("cautions:eligibility", args=[case.pk]), answers, case)
    assert response.status_code == 302, response.content.decode()[:3000]
    # 3. Needs.
    response = _post_walk(
        client,
        reverse("cautions:needs", args=[case.pk]),
        {"severity_accommodation": "high", "notes_accommodation": "Sofa surfing"},
        case,
    )
    assert response.status_code == 302
    # 4. Victim's views.
    response = _post_walk(
        client,
        reverse("cautions:victim_views", args=[case.pk]),
        {"kind": "not_obtained", "efforts": "Three calls, no answer"},
        case,
    )
    assert response.status_code == 302
    # 4b. The conditions proposed (a housing condition, suggested by the need).
    page = client.get(reverse("cautions:propose", args=[case.pk]))
    assert b"Suggested by the needs assessment: Housing support" in page.content
    housing = ConditionType.objects.get(key="housing")
    provider = f.OrganisationFactory()
    conditions = {
        "conditions-TOTAL_FORMS": "4",
        "conditions-INITIAL_FORMS": "0",
        "conditions-MIN_NUM_FORMS": "4",
        "conditions-MAX_NUM_FORMS": "8",
        "conditions-0-condition_type": housing.pk,
        "conditions-0-description": "Attend four housing sessions",
        "conditions-0-due_date": (today() + dt.timedelta(weeks=6)).isoformat(),
        "conditions-0-provider": provider.pk,
    }
    response = client.post(
        reverse("cautions:propose", args=[case.pk]),
        {"proposal-expected_version": Case.objects.get(pk=case.pk).version, **conditions},
    )
    assert response.status_code == 302, response.content.decode()[:5000]
    response = _post_walk(client, reverse("cautions:submit", args=[case.pk]), {}, case)
    assert Case.objects.get(pk=case.pk).status == "awaiting_authorisation"
    # 5. Authorisation by the sergeant.
    client = as_user(sergeant)
    page = client.get(reverse("cautions:worklist"))
    assert case.reference.encode() in page.content
    response = _post_walk(
        client, reverse("cautions:authorise", args=[case.pk]), {"decision": "authorise"}, case
    )
    assert response.status_code == 302
    # 6. Administration with the authorised housing condition.
    client = as_user(officer)
    page = client.get(reverse("cautions:administer", args=[case.pk]))
    assert b"Attend four housing sessions" in page.content
    data = {
        "caution-expected_version": Case.objects.get(pk=case.pk).version,
        "caution-caution_date": today().isoformat(),
        "caution-signed_time": "10:30",
        "caution-signed_place": "Thorpe Wood Police Station",
        "caution-admission_method": "interview",
        "caution-admitted": "on",
        "caution-effect_explained": "on",
        "caution-warned_of_prosecution": "on",
        "caution-consented": "on",
        "caution-document_signed": "on",
        "caution-compliance_period_weeks": "16",
        **conditions,
    }
    response = client.post(reverse("cautions:administer", args=[case.pk]), data)
    assert response.status_code == 302, response.content.decode()[:5000]
    case.refresh_from_db()
    assert case.status == "active"
    page = client.get(reverse("cautions:case_history", args=[case.pk]))
    assert b"Caution given: prosecution deferred" in page.content
    print_page = client.get(reverse("cautions:print", args=[case.pk]))
    assert b"Attend four housing sessions" in print_page.content
    assert AccessLog.objects.filter(action="disclosure", object_id=str(case.pk)).exists()
    # 7. Compliance.
    condition = case.conditions.get()
    response = client.post(
        reverse("cautions:condition_complied", args=[case.pk, condition.pk]),
        {
            "expected_version": condition.version,
            "complied_on": today().isoformat(),
            "evidence": "Provider letter",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "complied"
    page = client.get(reverse("cautions:case_history", args=[case.pk]))
    assert b"Caution completed: no further action" in page.content
    page = client.get(reverse("cautions:case_detail", args=[case.pk]))
    assert b"Spent" in page.content


def test_stale_form_is_refused_and_keeps_what_was_typed(as_user, officer):
    case = f.ActiveCaseFactory(officer=officer)
    client = as_user(officer)
    response = client.post(
        reverse("cautions:withdraw", args=[case.pk]),
        {
            "expected_version": case.version - 1 if case.version > 1 else 999,
            "kind": "error",
            "reason": "Typed by me",
        },
    )
    assert response.status_code == 200
    assert b"This case changed since you opened it" in response.content
    assert b"Typed by me" in response.content
    assert response.context["form"]["expected_version"].value() == case.version
    assert Case.objects.get(pk=case.pk).status == "active"


def test_domain_error_goes_back_on_the_form(as_user, officer):
    case = f.ActiveCaseFactory(officer=officer)
    condition = case.conditions.get()
    response = as_user(officer).post(
        reverse("cautions:condition_vary", args=[case.pk, condition.pk]),
        {
            "expected_version": condition.version,
            "description": "New wording",
            "due_date": (case.compliance_deadline + dt.timedelta(days=1)).isoformat(),
            "reason": "Provider asked",
            "consent_given": "on",
            "agreed_on": today().isoformat(),
        },
    )
    assert response.status_code == 200
    assert b"after the end of the" in response.content
    assert b"Error: Vary a condition" in response.content
    assert b"New wording" in response.content


def _pages(case, condition, breach):
    return [
        ("get", reverse("cautions:worklist")),
        ("get", reverse("cautions:case_list")),
        ("get", reverse("cautions:case_detail", args=[case.pk])),
        ("get", reverse("cautions:case_assessment", args=[case.pk])),
        ("get", reverse("cautions:case_support", args=[case.pk])),
        ("get", reverse("cautions:case_history", args=[case.pk])),
        ("post", reverse("cautions:start")),
        ("get", reverse("cautions:eligibility", args=[case.pk])),
        ("get", reverse("cautions:needs", args=[case.pk])),
        ("get", reverse("cautions:victim_views", args=[case.pk])),
        ("post", reverse("cautions:submit", args=[case.pk])),
        ("get", reverse("cautions:authorise", args=[case.pk])),
        ("get", reverse("cautions:administer", args=[case.pk])),
        ("get", reverse("cautions:print", args=[case.pk])),
        ("get", reverse("cautions:court_outcome", args=[case.pk])),
        ("get", reverse("cautions:withdraw", args=[case.pk])),
        ("get", reverse("cautions:condition_complied", args=[case.pk, condition.pk])),
        ("get", reverse("cautions:condition_not_complied", args=[case.pk, condition.pk])),
        ("get", reverse("cautions:condition_vary", args=[case.pk, condition.pk])),
        ("get", reverse("cautions:condition_end", args=[case.pk, condition.pk])),
        ("get", reverse("cautions:breach_decide", args=[case.pk, breach.pk])),
    ]


@pytest.mark.parametrize("user_fixture", ["caseworker", "analyst", "administrator"])
def test_non_police_roles_get_403_on_every_cautions_page(request, as_user, user_fixture):
    case = f.BreachCaseFactory()
    breach = case.breaches.get()
    client = as_user(request.getfixturevalue(user_fixture))
    for method, url in _pages(case, breach.condition, breach):
        assert getattr(client, method)(url).status_code == 403, url


def test_officer_without_authority_gets_403_on_authorise_and_decide(as_user, officer):
    waiting = f.AwaitingAuthorisationCaseFactory()
    breach_case = f.BreachCaseFactory()
    breach = breach_case.breaches.get()
    client = as_user(officer)
    assert client.get(reverse("cautions:authorise", args=[waiting.pk])).status_code == 403
    assert client.post(reverse("cautions:authorise", args=[waiting.pk]), {}).status_code == 403
    url = reverse("cautions:breach_decide", args=[breach_case.pk, breach.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


def test_unknown_case_is_404(as_user, officer):
    assert as_user(officer).get(reverse("cautions:case_detail", args=[99999])).status_code == 404


@pytest.mark.parametrize("role", ["caseworker", "analyst"])
def test_the_case_page_read_finds_no_case_for_roles_without_case_access(request, role):
    # The page's own check (403) comes first; the read refuses on its own as well.
    case = f.ActiveCaseFactory()
    user = request.getfixturevalue(role)
    with pytest.raises(Http404):
        get_case_for_user(user, case.pk, prepared=CASE_PAGE_CASE)
    with pytest.raises(Http404):
        get_case_for_user(user, case.pk)


@pytest.mark.parametrize(
    ("factory", "suggested"),
    [
        (f.CaseFactory, True),
        (f.AwaitingAuthorisationCaseFactory, True),
        (f.AuthorisedCaseFactory, True),
        (f.ActiveCaseFactory, False),
        (f.CompliedCaseFactory, False),
    ],
)
def test_needs_suggest_conditions_until_the_caution_is_given(as_user, officer, factory, suggested):
    case = factory()
    f.NeedAssessmentFactory(case=case)  # accommodation: suggests housing support
    html = (
        as_user(officer).get(reverse("cautions:case_assessment", args=[case.pk])).content.decode()
    )
    assert "Accommodation</dt>" in html  # the need itself is always shown
    assert ("Suggested conditions: Housing support" in html) is suggested


def test_the_case_page_shows_another_case_after_one(as_user, officer):
    # The page's reads are compiled once (hub.prepared): each visit gets its own case's rows.
    first, second = f.ActiveCaseFactory(conditions=1), f.BreachCaseFactory(conditions=2)
    client = as_user(officer)
    for case in (first, second, first):
        response = client.get(reverse("cautions:case_detail", args=[case.pk]))
        assert response.context["case"] == case
        assert [r.condition.case_id for r in response.context["condition_rows"]] == [
            case.pk
        ] * case.conditions.count()
        assert [b.case_id for b in response.context["breaches"]] == list(
            case.breaches.values_list("case_id", flat=True)
        )


def test_every_page_renders_for_the_right_role(as_user, officer, sergeant):
    case = f.BreachCaseFactory(officer=officer)
    breach = case.breaches.get()
    client = as_user(sergeant)
    for method, url in _pages(case, breach.condition, breach):
        if method == "get":
            assert client.get(url).status_code in (200, 302), url


def test_case_page_logs_a_consultation(as_user, officer):
    case = f.ActiveCaseFactory()
    as_user(officer).get(reverse("cautions:case_detail", args=[case.pk]))
    entry = AccessLog.objects.get(action="consultation")
    assert entry.person == case.person


SECTIONS = ("case_detail", "case_assessment", "case_support", "case_history")


def test_each_section_of_the_case_page_logs_its_own_consultation(as_user, officer):
    case = f.ActiveCaseFactory()
    client = as_user(officer)
    for name in SECTIONS:
        assert client.get(reverse(f"cautions:{name}", args=[case.pk])).status_code == 200
    assert list(
        AccessLog.objects.filter(action="consultation", person=case.person)
        .order_by("pk")
        .values_list("description", flat=True)
    ) == [
        f"Viewed case {case.reference}",
        f"Viewed case {case.reference}: assessment",
        f"Viewed case {case.reference}: support",
        f"Viewed case {case.reference}: history",
    ]


def test_every_section_has_the_sub_navigation_with_its_own_marked(as_user, officer):
    case = f.ActiveCaseFactory()
    client = as_user(officer)
    urls = [reverse(f"cautions:{name}", args=[case.pk]) for name in SECTIONS]
    for url, title in zip(urls, ("", "Assessment: ", "Support: ", "History: "), strict=True):
        html = client.get(url).content.decode()
        assert f"<title>{title}Case {case.reference}" in html
        for other in urls:
            link = f'href="{other}"' + (' aria-current="page"' if other == url else ">")
            assert link in html, (url, other)


def test_every_section_shows_the_status_next_action_and_its_buttons(as_user, sergeant):
    # The header reads what its buttons need on every section: here the undecided breach.
    case = f.BreachCaseFactory()
    breach = case.breaches.get()
    decide = reverse("cautions:breach_decide", args=[case.pk, breach.pk])
    client = as_user(sergeant)
    for name in SECTIONS:
        html = client.get(reverse(f"cautions:{name}", args=[case.pk])).content.decode()
        assert "Next action:</strong> An authorising officer must decide the breach" in html
        assert f'href="{decide}"' in html, name


def test_a_case_being_assessed_shows_its_next_step_on_every_section(as_user, officer):
    case = f.CaseFactory(officer=officer)
    client = as_user(officer)
    for name in SECTIONS:
        html = client.get(reverse(f"cautions:{name}", args=[case.pk])).content.decode()
        assert "Next action:</strong> Check eligibility" in html
        assert ">Check eligibility</a>" in html
        assert "Send for authorisation" not in html
    f.EligibilityAssessmentFactory(case=case)
    for name in SECTIONS:
        html = client.get(reverse(f"cautions:{name}", args=[case.pk])).content.decode()
        assert "Next action:</strong> Record the needs assessment" in html
        assert ">Check eligibility again</a>" in html
        assert "Send for authorisation" in html


def test_each_section_shows_its_part_of_the_case(as_user, officer):
    case = f.BreachCaseFactory(officer=officer)
    f.NeedAssessmentFactory(case=case, notes="Sofa surfing")
    CaseEvent.objects.create(case=case, actor=officer, kind="breach_recorded", reason="Missed")
    client = as_user(officer)

    def page(name):
        return client.get(reverse(f"cautions:{name}", args=[case.pk])).content.decode()

    overview, assessment, support, history = (page(name) for name in SECTIONS)
    condition = case.conditions.get()
    assert condition.description in overview
    assert "Failure recorded" in overview
    assert "Sofa surfing" not in overview
    assert "Breach recorded:" not in overview
    assert "Sofa surfing" in assessment
    assert "Victim's views</h2>" in assessment
    assert condition.description not in assessment
    assert "Referrals to support providers" in support
    assert "Sofa surfing" not in support
    assert "Breach recorded:" in history
    assert condition.description not in history


def test_case_page_shows_overdue_conditions_and_next_action(as_user, officer):
    case = f.ActiveCaseFactory(conditions=0)
    f.ConditionFactory(case=case, due_date=today() - dt.timedelta(days=1))
    page = as_user(officer).get(reverse("cautions:case_detail", args=[case.pk]))
    assert b"Overdue" in page.content
    assert b"1 overdue" in page.content
    assert b"Record compliance with each condition" in page.content


def test_person_page_links_the_case(as_user, officer):
    case = f.ActiveCaseFactory()
    page = as_user(officer).get(reverse("hub:person_detail", args=[case.person.pk]))
    assert reverse("cautions:case_detail", args=[case.pk]).encode() in page.content


def test_case_list_filters(as_user, officer):
    active = f.ActiveCaseFactory(officer=officer)
    f.CaseFactory()
    client = as_user(officer)
    response = client.get(reverse("cautions:case_list"), {"status": "active"})
    assert list(response.context["page_obj"]) == [active]
    response = client.get(reverse("cautions:case_list"), {"officer": officer.pk})
    assert list(response.context["page_obj"]) == [active]
    response = client.get(reverse("cautions:case_list"), {"q": active.person.last_name})
    assert active in list(response.context["page_obj"])


def test_worklist_sections(as_user, officer, sergeant):
    mine = f.CaseFactory(officer=officer)
    due = f.ActiveCaseFactory(officer=officer, conditions=0)
    f.ConditionFactory(case=due, due_date=today() + dt.timedelta(days=3))
    f.ConditionFactory(case=due, due_date=today() - dt.timedelta(days=3))
    breach = f.BreachCaseFactory(officer=officer)
    waiting = f.AwaitingAuthorisationCaseFactory(officer=officer)
    ctx = as_user(officer).get(reverse("cautions:worklist")).context
    assert ctx["awaiting_action"] == [mine]
    assert [c.case for c in ctx["due_soon"]] == [due]
    assert [c.case for c in ctx["overdue"]] == [due]
    assert [b.case for b in ctx["breaches"]] == [breach]
    assert ctx["awaiting_authorisation"] == []
    assert "non_engagement_flags" in ctx
    ctx = as_user(sergeant).get(reverse("cautions:worklist")).context
    assert ctx["awaiting_authorisation"] == [waiting]
    assert [b.case for b in ctx["breaches"]] == [breach]


# --------------------------------------------------------------------------- query counts


@pytest.mark.parametrize("rows", [1, 20])
def test_case_page_query_count_is_bounded(as_user, officer, django_assert_max_num_queries, rows):
    case = f.BreachCaseFactory(conditions=rows)
    client = as_user(officer)
    # session, user with profile, permissions (2, cached after), case with what the page
    # shows (access check included), access log, conditions, breaches, the victim told
    # (Victims' Code), the caution document's version (variations), session save (3 with its
    # savepoints); the header's unread notifications count (notifications.staff_context).
    with django_assert_max_num_queries(14):
        response = client.get(reverse("cautions:case_detail", args=[case.pk]))
    assert len(response.context["condition_rows"]) == rows


@pytest.mark.parametrize("rows", [1, 20])
@pytest.mark.parametrize(
    ("section", "budget"),
    # Beyond the overview's first six (session to access log), the session save (3) and the
    # open breach for the header's "Decide the breach": the latest eligibility check, needs
    # and, before the caution is given, suggested types (assessment); referrals, their
    # sessions and reports (support); events (history); the header's unread notifications
    # count (notifications.staff_context); the person's reminder consent and failed reminders
    # (support: notifications.panels).
    [("assessment", 13), ("support", 14), ("history", 12)],
)
def test_case_section_query_counts_are_bounded(
    as_user, officer, django_assert_max_num_queries, rows, section, budget
):
    case = f.BreachCaseFactory(conditions=rows)
    for pathway in NeedPathway.objects.order_by("pk")[:rows]:
        f.NeedAssessmentFactory(case=case, pathway=pathway)
    for _ in range(rows):
        CaseEvent.objects.create(case=case, actor=officer, kind="condition_overdue", reason="x")
    client = as_user(officer)
    with django_assert_max_num_queries(budget):
        response = client.get(reverse(f"cautions:case_{section}", args=[case.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 20])
def test_worklist_query_count_is_bounded(as_user, officer, django_assert_max_num_queries, rows):
    for _ in range(rows):
        f.CaseFactory(officer=officer)
        c = f.ActiveCaseFactory(officer=officer, conditions=0)
        f.ConditionFactory(case=c, due_date=today() + dt.timedelta(days=2))
        f.BreachCaseFactory(officer=officer)
    client = as_user(officer)
    # session, user with profile, permissions (2), the rule settings, the six lists (charge-by
    # included), the referrals panels ("not engaging" flags, returned referrals, "complied"
    # reports to confirm), the access-log entry (issue 17: one per page, not per row),
    # session save (3 with its savepoints), the header's unread notifications count
    with django_assert_max_num_queries(18):
        response = client.get(reverse("cautions:worklist"))
    assert len(response.context["awaiting_action"]) == rows


@pytest.mark.parametrize("rows", [1, 20])
def test_case_list_query_count_is_bounded(as_user, officer, django_assert_max_num_queries, rows):
    f.CaseFactory.create_batch(rows)
    client = as_user(officer)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("cautions:case_list"))
    assert response.context["page_obj"].paginator.count == rows


def test_administer_errors_in_condition_rows_are_summarised(as_user, officer):
    case = f.AuthorisedCaseFactory(officer=officer)
    letter = ConditionType.objects.get(key="apology_letter")
    response = as_user(officer).post(
        reverse("cautions:administer", args=[case.pk]),
        {
            "caution-expected_version": case.version,
            "conditions-TOTAL_FORMS": "4",
            "conditions-INITIAL_FORMS": "0",
            "conditions-0-condition_type": letter.pk,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>Error: Give the caution" in body
    summary = body[body.index("govuk-error-summary") : body.index("<h1")]
    assert "Condition 1: Describe what the person must do" in summary
    assert Case.objects.get(pk=case.pk).status == "authorised"


@pytest.mark.parametrize(
    ("factory", "budget"),
    # session, user, permissions (2), case, access log, session save (3); the latest
    # eligibility check while it is being assessed, the proposed conditions: no conditions
    # or breaches to read; the header's unread notifications count (notifications.staff_context).
    [(f.CaseFactory, 12), (f.AuthorisedCaseFactory, 11)],
)
def test_the_overview_reads_no_conditions_before_the_caution(
    as_user, officer, django_assert_max_num_queries, factory, budget
):
    case = factory()
    client = as_user(officer)
    with django_assert_max_num_queries(budget):
        response = client.get(reverse("cautions:case_detail", args=[case.pk]))
    assert response.context["condition_rows"] == []
    assert b"No conditions recorded" not in response.content
