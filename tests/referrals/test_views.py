"""What caseworkers, officers and analysts see, refusals included."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from cautions.models import Condition
from hub.models import AccessLog, NeedPathway
from hub.roles import Role
from referrals import services
from referrals.models import ProgressReport, Referral, SupportSession
from referrals.selectors import referrals_for_case_page
from tests.cautions.factories import ActiveCaseFactory
from tests.factories import OrganisationFactory, make_user
from tests.referrals.factories import (
    accepted_referral,
    caseworker_of,
    in_progress_referral,
    new_referral,
    session_data,
)

pytestmark = pytest.mark.django_db

NOTE = "Disclosed a relapse into heroin use after a family bereavement."


@pytest.fixture
def links():
    return OrganisationFactory(name="Outside Links (HMP Peterborough)")


@pytest.fixture
def links_worker(links):
    return caseworker_of(links, first_name="Alex", last_name="Morgan")


def _close_housed(referral, caseworker):
    """End support with accommodation improved (the session of _with_note worked on it)."""
    accommodation = NeedPathway.objects.get(key="accommodation")
    return services.referral_close(
        referral=referral,
        actor=caseworker,
        outcomes={accommodation.pk: "improved"},
        closing_note="Now housed.",
    )


def _with_note(referral):
    return services.session_record(
        referral=referral, actor=referral.assigned_to, data=session_data(notes=NOTE)
    )


# --- inbox --------------------------------------------------------------------------------


def test_inbox_shows_only_the_own_organisations_referrals(as_user, links, links_worker):
    mine = new_referral(links)
    theirs = new_referral(OrganisationFactory(), person__last_name="Elsewhere-Only")
    response = as_user(links_worker).get(reverse("referrals:inbox"))
    assert response.status_code == 200
    assert [row["pk"] for row in response.context["page_obj"]] == [mine.pk]
    assert mine.case.person.full_name in response.content.decode()
    assert theirs.case.person.full_name not in response.content.decode()


def test_inbox_tabs_count_each_status_and_filters_apply(as_user, links, links_worker):
    new_referral(links, offence__person__last_name="Hughes")
    new_referral(links, offence__person__last_name="Marsh")
    accepted = accepted_referral(
        links, caseworker=links_worker, offence__person__last_name="Kowalski"
    )
    new_referral(OrganisationFactory())  # another provider's: not counted
    client = as_user(links_worker)
    response = client.get(reverse("referrals:inbox"))
    counts = {t["status"]: t["count"] for t in response.context["tabs"]}
    assert counts == {
        "new": 2,
        "accepted": 1,
        "in_progress": 0,
        # Closed tabs are not counted on every visit (referrals.selectors.inbox_tab_counts)
        "completed": None,
        "returned": None,
        "withdrawn": None,
    }
    response = client.get(reverse("referrals:inbox"), {"status": "accepted", "assigned": "me"})
    assert [row["pk"] for row in response.context["page_obj"]] == [accepted.pk]
    response = client.get(reverse("referrals:inbox"), {"status": "new", "name": "kowalski"})
    assert response.context["page_obj"].paginator.count == 0
    response = client.get(reverse("referrals:inbox"), {"status": "new", "name": "marsh"})
    assert [row["name"].split()[-1] for row in response.context["page_obj"]] == ["Marsh"]
    response = client.get(reverse("referrals:inbox"), {"status": "new", "sort": "-referred"})
    assert response.status_code == 200


def test_a_closed_tab_shows_its_total_only_when_it_is_open(as_user, links, links_worker):
    services.referral_return(
        referral=new_referral(links), actor=links_worker, reason="No capacity in March"
    )
    client = as_user(links_worker)
    body = client.get(reverse("referrals:inbox")).content.decode()
    assert "Returned</a>" in body  # the tab, with no count on it
    response = client.get(reverse("referrals:inbox"), {"status": "returned"})
    tab = next(t for t in response.context["tabs"] if t["status"] == "returned")
    assert tab["current"]
    assert tab["count"] is None
    assert response.context["page_obj"].paginator.count == 1
    assert 'Returned <span class="govuk-tag govuk-tag--grey">1<' in response.content.decode()


def test_inbox_filter_forms_share_a_class_but_not_their_values(links_worker):
    from referrals.filters import ReferralFilter

    mine = ReferralFilter({"name": "marsh", "assigned": "me"}, user=links_worker)
    other = ReferralFilter(None, user=links_worker)
    assert type(mine.form) is type(other.form)
    assert mine.form.is_valid()
    assert mine.form.cleaned_data["name"] == "marsh"
    assert not other.form.is_bound
    assert other.form["name"].value() is None
    assert mine.form.fields["assigned"] is not other.form.fields["assigned"]


@pytest.mark.parametrize("user_fixture", ["officer", "analyst"])
def test_inbox_is_for_caseworkers_only(request, as_user, user_fixture):
    response = as_user(request.getfixturevalue(user_fixture)).get(reverse("referrals:inbox"))
    assert response.status_code == 403


@pytest.mark.parametrize("rows", [1, 20])
def test_inbox_query_count_does_not_grow(
    as_user, links, links_worker, django_assert_max_num_queries, rows
):
    case = ActiveCaseFactory(conditions=0)
    for _ in range(rows):
        new_referral(links, case=ActiveCaseFactory(conditions=0, officer=case.officer))
    client = as_user(links_worker)
    # session, user with profile and organisation, permissions (2, then cached), tab counts
    # (also the paginator's), page of referrals with person/offence/caseworker, the
    # access-log entry (issue 17: one per page, not per row), session save (3 with its
    # savepoints), the header's unread notifications count (notifications.staff_context)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("referrals:inbox"))
    assert response.context["page_obj"].paginator.count == rows


# --- referral page ------------------------------------------------------------------------


def test_caseworker_sees_the_referral_with_notes_and_it_is_logged(as_user, links, links_worker):
    referral = accepted_referral(links, caseworker=links_worker)
    _with_note(referral)
    response = as_user(links_worker).get(reverse("referrals:detail", args=[referral.pk]))
    body = response.content.decode()
    person = referral.case.person
    assert response.status_code == 200
    assert person.full_name in body
    assert person.phone in body
    assert "Housing support" in body  # the condition this provider supports
    assert "Sofa-surfing since March." in body  # the relevant needs assessment
    assert referral.case.offence.description in body
    assert person.pnc_id not in body  # not the rest of the police record
    assert NOTE in body
    logs = AccessLog.objects.filter(user=links_worker, person=person)
    assert set(logs.values_list("object_type", flat=True)) == {
        "referrals.referral",
        "referrals.supportsession",
    }


def test_other_organisations_get_404_for_every_referral_url(as_user, links, links_worker):
    referral = in_progress_referral(OrganisationFactory())
    session = referral.sessions.get()
    client = as_user(links_worker)
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    for name in ("accept", "return", "session_create", "progress_create", "close"):
        assert client.get(reverse(f"referrals:{name}", args=[referral.pk])).status_code == 404
        assert client.post(reverse(f"referrals:{name}", args=[referral.pk])).status_code == 404
    for name in ("session_edit", "session_correct"):
        assert client.get(reverse(f"referrals:{name}", args=[session.pk])).status_code == 404
    assert not AccessLog.objects.exists()


def test_officer_sees_attendance_but_never_the_notes(as_user, officer, links, links_worker):
    referral = accepted_referral(links, caseworker=links_worker)
    _with_note(referral)
    services.progress_report(
        referral=referral, actor=links_worker, kind="not_engaging", details="Stopped coming."
    )
    client = as_user(officer)
    response = client.get(reverse("referrals:detail", args=[referral.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Attended" in body
    assert "Stopped coming." in body
    assert NOTE not in body
    assert "Bring the tenancy agreement" not in body  # next steps are notes too
    assert "Accept referral" not in body
    # Sessions and the caseworkers' actions are out of reach.
    session = referral.sessions.get()
    assert client.get(reverse("referrals:session_edit", args=[session.pk])).status_code == 403
    assert client.get(reverse("referrals:accept", args=[referral.pk])).status_code == 403


def test_officers_case_partial_shows_attendance_reports_and_summary_without_notes(
    officer, links, links_worker
):
    referral = accepted_referral(links, caseworker=links_worker)
    _with_note(referral)
    condition = Condition.objects.get(case=referral.case)
    services.progress_report(
        referral=referral,
        actor=links_worker,
        kind="complied",
        condition=condition,
        complied_on=timezone.localdate(),
        details="Six sessions attended.",
    )
    _close_housed(referral, links_worker)
    request = RequestFactory().get("/")
    request.user = officer
    html = render_to_string(
        "referrals/_case_referrals.html",
        {"case_referrals": referrals_for_case_page(referral.case), "case": referral.case},
        request=request,
    )
    assert "Outside Links (HMP Peterborough)" in html
    assert "1 attended of 1 sessions" in html
    assert "Reported complied, awaiting confirmation" in html
    assert "Six sessions attended." in html
    assert "Improved" in html
    assert "Now housed." in html
    assert NOTE not in html
    assert "Bring the tenancy agreement" not in html


@pytest.mark.parametrize("sessions", [1, 20])
def test_case_partial_query_count_does_not_grow(django_assert_num_queries, links, sessions):
    referral = in_progress_referral(links, sessions=sessions)
    new_referral(OrganisationFactory(), case=referral.case, key="drugs_alcohol")
    # referrals with provider and caseworker, sessions, progress reports, appointments booked
    # or missed (no outcomes while support goes on)
    with django_assert_num_queries(4):
        referrals = referrals_for_case_page(referral.case)
        render_to_string("referrals/_case_referrals.html", {"case_referrals": referrals})
    assert sum(len(r.session_list) for r in referrals) == sessions


def test_case_partial_reads_outcomes_once_support_has_ended(
    django_assert_num_queries, links, links_worker
):
    referral = accepted_referral(links, caseworker=links_worker)
    _with_note(referral)  # a session working on accommodation
    _close_housed(referral, links_worker)
    new_referral(OrganisationFactory(), case=referral.case, key="drugs_alcohol")
    with django_assert_num_queries(5):  # and the completed referral's outcomes
        referrals = referrals_for_case_page(referral.case)
        html = render_to_string("referrals/_case_referrals.html", {"case_referrals": referrals})
    assert [r.status for r in referrals] == ["completed", "new"]
    assert "Improved" in html


def test_analyst_sees_nothing(as_user, analyst):
    referral = new_referral()
    assert as_user(analyst).get(reverse("referrals:detail", args=[referral.pk])).status_code == 403


@pytest.mark.parametrize("sessions", [1, 20])
def test_referral_page_query_count_does_not_grow(
    as_user, links, links_worker, django_assert_max_num_queries, sessions
):
    referral = in_progress_referral(links, caseworker=links_worker, sessions=sessions)
    client = as_user(links_worker)
    # session, user, perms (2), header profile + org (2), referral with case/person/offence,
    # referral pathways, conditions, needs, sessions, session pathways, reports, outcomes,
    # events, two access-log rows, session save; the person's reminder consent and failed
    # reminders (notifications_tags.reminders_summary, issue 18)
    with django_assert_max_num_queries(22):
        response = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert len(response.context["page"].sessions) == sessions


# --- transitions through the pages --------------------------------------------------------


def test_accept_then_record_a_session_through_the_pages(as_user, links, links_worker):
    referral = new_referral(links)
    client = as_user(links_worker)
    response = client.post(
        reverse("referrals:accept", args=[referral.pk]), {"assignee": links_worker.pk}
    )
    assert response.status_code == 302
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    accommodation = NeedPathway.objects.get(key="accommodation")
    response = client.post(
        reverse("referrals:session_create", args=[referral.pk]),
        {
            "session_date": yesterday.isoformat(),
            "session_time": "10:30",
            "kind": "assessment",
            "attendance": "attended",
            "duration_minutes": "60",
            "pathways": [accommodation.pk],
            "notes": NOTE,
            "next_steps": "",
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "in_progress"
    session = referral.sessions.get()
    assert timezone.localtime(session.occurred_at).date() == yesterday


def test_a_refused_transition_comes_back_on_the_form(as_user, links, links_worker):
    referral = in_progress_referral(links, caseworker=links_worker)
    response = as_user(links_worker).post(
        reverse("referrals:return", args=[referral.pk]), {"reason": "Too busy"}
    )
    assert response.status_code == 200
    assert "the referral is in progress" in response.content.decode()
    assert response.context["form"].data["reason"] == "Too busy"


def test_missing_duration_is_a_form_error(as_user, links, links_worker):
    referral = accepted_referral(links, caseworker=links_worker)
    response = as_user(links_worker).post(
        reverse("referrals:session_create", args=[referral.pk]),
        {
            "session_date": "2024-01-10",
            "session_time": "10:00",
            "kind": "phone",
            "attendance": "attended",
        },
    )
    assert response.status_code == 200
    assert "Enter how long the session lasted" in response.content.decode()
    assert "Error: " in response.content.decode()


def test_edit_link_only_within_24_hours_and_correction_page(as_user, links, links_worker):
    referral = in_progress_referral(links, caseworker=links_worker)
    session = referral.sessions.get()
    client = as_user(links_worker)
    detail = reverse("referrals:detail", args=[referral.pk])
    edit_url = reverse("referrals:session_edit", args=[session.pk])
    assert edit_url in client.get(detail).content.decode()
    SupportSession.objects.filter(pk=session.pk).update(
        created_at=timezone.now() - dt.timedelta(days=2)
    )
    assert edit_url not in client.get(detail).content.decode()
    response = client.get(reverse("referrals:session_correct", args=[session.pk]))
    assert response.status_code == 200
    assert AccessLog.objects.filter(
        object_type="referrals.supportsession", object_id=str(session.pk)
    ).exists()


def test_suggests_not_engaging_after_two_missed_sessions(as_user, links, links_worker):
    referral = in_progress_referral(links, caseworker=links_worker)
    for days in (3, 2):
        services.session_record(
            referral=referral,
            actor=links_worker,
            data=session_data(
                attendance="did_not_attend", occurred_at=timezone.now() - dt.timedelta(hours=days)
            ),
        )
    body = as_user(links_worker).get(reverse("referrals:detail", args=[referral.pk])).content
    assert b"Report that the person is not engaging" in body


def test_officer_acknowledges_a_flag(as_user, links):
    referral = in_progress_referral(links)
    report = services.progress_report(
        referral=referral, actor=referral.assigned_to, kind="not_engaging", details="No contact"
    )
    officer = referral.case.officer
    response = as_user(officer).post(
        reverse("referrals:flag_acknowledge", args=[report.pk]), {"next": "/cases/worklist/"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.acknowledged_by == officer


def test_worklist_partial_lists_flags(links):
    referral = in_progress_referral(links)
    services.progress_report(
        referral=referral, actor=referral.assigned_to, kind="not_engaging", details="No contact"
    )
    from referrals.selectors import non_engagement_flags_for_officer

    request = RequestFactory().get("/cases/worklist/")
    request.user = referral.case.officer
    html = render_to_string(
        "referrals/_officer_worklist_flags.html",
        {"non_engagement_flags": non_engagement_flags_for_officer(referral.case.officer)},
        request=request,
    )
    assert referral.case.person.full_name in html
    assert "No contact" in html
    assert ProgressReport.objects.get().pk  # still there until acknowledged


def test_officer_makes_a_manual_referral(as_user, officer, links):
    case = ActiveCaseFactory()
    health = NeedPathway.objects.get(key="health")
    response = as_user(officer).post(
        reverse("referrals:create", args=[case.pk]),
        {"provider": links.pk, "pathways": [health.pk], "reason": "Low mood", "due_date": ""},
    )
    referral = Referral.objects.get(case=case)
    assert response.status_code == 302
    assert (referral.provider, referral.source) == (links, "manual")
    caseworker = make_user(Role.CASEWORKER, organisation=links)
    assert as_user(caseworker).post(reverse("referrals:create", args=[case.pk])).status_code == 403


def test_no_officer_reachable_page_shows_the_notes(as_user, links, links_worker):
    referral = accepted_referral(links, caseworker=links_worker)
    _with_note(referral)
    services.progress_report(
        referral=referral, actor=links_worker, kind="not_engaging", details="Stopped coming."
    )
    officer = referral.case.officer
    client = as_user(officer)
    pages = {
        "case page": reverse("cautions:case_detail", args=[referral.case_id]),
        **{
            f"case {section}": reverse(f"cautions:case_{section}", args=[referral.case_id])
            for section in ("assessment", "support", "history")
        },
        "worklist": reverse("cautions:worklist"),
        "referral page": reverse("referrals:detail", args=[referral.pk]),
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert NOTE not in response.content.decode(), name
    support = client.get(pages["case support"]).content.decode()
    assert "1 attended of 1 sessions" in support
    worklist = client.get(pages["worklist"]).content.decode()
    assert "Stopped coming." in worklist
    assert f'href="{pages["case support"]}"' in worklist  # the flag leads to the support
