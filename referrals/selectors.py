"""Reads for referral screens, and the partials other apps embed.

Each selector decides its own select_related / prefetch_related so that a page runs a fixed
number of queries whatever the number of rows. Selectors meant for police users defer the
session note fields, so the notes are never even loaded for them.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet, prefetch_related_objects

from cautions.models import Case, Condition, NeedAssessment
from cautions.selectors import WORKLIST_LIMIT
from hub.lib.dates import DayMonthYear
from hub.lib.fields import under
from hub.lib.staff import STAFF_NAME, staff_fields_unshown, staff_name
from hub.lib.urls import url_for
from hub.models import Person
from hub.models.people import person_name
from hub.prepared import PreparedQuery
from referrals.models import (
    OPEN_STATUSES,
    Appointment,
    PathwayOutcome,
    ProgressReport,
    Referral,
    ReferralEvent,
    SupportSession,
    referral_status_colour,
)

# Consecutive missed sessions (without an accepted reason) after which the referral page
# suggests reporting "not engaging".
NOT_ENGAGING_SUGGESTION_AFTER = 2

INBOX_TABS = [
    (Referral.Status.NEW, "New"),
    (Referral.Status.ACCEPTED, "Accepted"),
    (Referral.Status.IN_PROGRESS, "In progress"),
    (Referral.Status.COMPLETED, "Completed"),
    (Referral.Status.RETURNED, "Returned"),
    (Referral.Status.WITHDRAWN, "Closed by police"),
]


# The columns of an inbox row, in the order inbox_table_rows unpacks them.
_INBOX_COLUMNS = (
    "pk",
    "status",
    "source",
    "created_at",
    "due_date",
    "case__person_id",
    *under("case__person", Person.NAME_FIELDS),
    "case__offence__category__label",  # what OffenceCategory.__str__ shows
    "assigned_to_id",
    *under("assigned_to", STAFF_NAME),
)
_STATUS_LABELS = dict(Referral.Status.choices)


def inbox_rows(referrals: QuerySet[Referral]) -> QuerySet:
    """The inbox's rows: the referral, its person, offence and caseworker in one query, as
    tuples of the columns the inbox shows (for inbox_table_rows). Tuples, not model instances:
    a page of 25 referrals made 150 of them (referral, case, person, offence, category, user),
    a millisecond of the page's time."""
    return referrals.values_list(*_INBOX_COLUMNS)


def inbox_table_rows(rows, *, today) -> list[dict]:
    """What each row of the inbox table shows (referrals/inbox.html), from inbox_rows() tuples,
    formatted in Python once: the template reads plain values. Formatting in the template (a
    date filter per date, a {% url %}, a badge and a chain of lookups per row) was most of the
    page's time. Nothing here queries."""
    date = DayMonthYear()
    table = []
    for (
        pk,
        status,
        source,
        created_at,
        due,
        person_id,
        first_name,
        last_name,
        anonymised_at,
        offence,
        caseworker_id,
        username,
        caseworker_first_name,
        caseworker_last_name,
    ) in rows:
        table.append(
            {
                "pk": pk,
                "url": url_for("referrals:detail", pk),
                "name": person_name(person_id, first_name, last_name, anonymised_at),
                "manual": source == Referral.Source.MANUAL,
                "offence": offence,
                "referred": date(created_at),
                "due": date(due) if due else "Not set",
                "overdue": bool(due and status in OPEN_STATUSES and due < today),
                "caseworker": (
                    staff_name(caseworker_first_name, caseworker_last_name, username)
                    if caseworker_id
                    else "Not assigned"
                ),
                "status": _STATUS_LABELS.get(status, status),
                "colour": referral_status_colour(status),
            }
        )
    return table


def inbox_tab_counts(referrals: QuerySet[Referral]) -> dict[str, int | None]:
    """A count for each open status (the caseworker's work), in one query.

    Closed tabs (completed, returned, closed by police) get no count (None): those lists only
    grow (31,000 completed referrals for one provider at 100,000 people), so counting them on
    every visit to the inbox would cost a scan of all of them (20 ms) to show a number nobody
    acts on; their own tab still shows its total. The open statuses read the inbox index
    (referral_inbox_idx: provider, status)."""
    found = dict(
        referrals.filter(status__in=OPEN_STATUSES)
        .order_by()
        # A GROUP BY rather than an aggregate() of filtered counts: Django builds it faster.
        # Count("status"), not Count("pk"): an index-only scan of referral_inbox_idx.
        .values_list("status")
        .annotate(Count("status"))
    )
    return {
        status: found.get(status, 0) if status in OPEN_STATUSES else None
        for status, _ in INBOX_TABS
    }


def _officer_sessions():
    # Officers see attendance only: the note fields are not even fetched.
    return SupportSession.objects.defer("notes", "next_steps").select_related("corrects")


# The case page's reads of referrals, by the case's id, built into SQL once per process
# (hub.prepared). Sessions and reports are read by the case too, not by a list of referral
# ids, so that their SQL has the same shape for every case.
_CASE_REFERRALS = PreparedQuery(
    lambda case_id: (
        Referral.objects.filter(case_id=case_id)
        .select_related("provider", "assigned_to")
        .defer(*staff_fields_unshown("assigned_to"))
        .order_by("created_at", "pk")
    )
)
_CASE_SESSIONS = PreparedQuery(
    lambda case_id: (
        _officer_sessions().filter(referral__case_id=case_id).order_by("-occurred_at", "-id")
    )
)
_CASE_REPORTS = PreparedQuery(
    lambda case_id: (
        ProgressReport.objects.filter(referral__case_id=case_id)
        .select_related("condition__condition_type", "reported_by", "acknowledged_by")
        .defer(*staff_fields_unshown("reported_by", "acknowledged_by"))
    )
)


# The officer's view of appointments (issue 18): those still booked and those missed, never
# the place (it may be a phone number) nor the person's reason for missing it.
_CASE_APPOINTMENTS = PreparedQuery(
    lambda case_id: (
        Appointment.objects.filter(
            referral__case_id=case_id,
            status__in=[Appointment.Status.BOOKED, Appointment.Status.DID_NOT_ATTEND],
        )
        .select_related("with_whom", "pathway", "condition__condition_type")
        .only(
            "referral_id",
            "starts_at",
            "duration_minutes",
            "mode",
            "status",
            "absence_reason_accepted",
            "with_whom_id",
            *under("with_whom", STAFF_NAME),
            "pathway__label",
            "condition__condition_type__label",
        )
        .order_by("starts_at", "pk")
    )
)


def _annotate_officer_appointments(referral, appointments) -> None:
    referral.upcoming_appointments = [a for a in appointments if a.is_booked]
    referral.missed_appointments = [a for a in appointments if a.is_missed]


def referrals_for_case_page(case):
    """The case's referrals with attendance, progress reports and end-of-support summary,
    for the officer's case page (never the session notes), and the appointments still booked
    or missed. Four queries, whatever the number of referrals, sessions, reports and
    appointments (five once a referral has ended); none more when the case has no referral."""
    referrals = _CASE_REFERRALS(case.pk)
    if not referrals:
        return referrals
    sessions = _by_referral(_CASE_SESSIONS(case.pk))
    reports = _by_referral(_CASE_REPORTS(case.pk))
    appointments = _by_referral(_CASE_APPOINTMENTS(case.pk))
    for referral in referrals:
        _annotate_officer_appointments(referral, appointments.get(referral.pk, []))
        referral.case = case
        referral.report_list = _annotate_reports(reports.get(referral.pk, []))
        _annotate_sessions(referral, sessions.get(referral.pk, []))
        _annotate_ending(referral)
    # Pathway outcomes are recorded at the end of support and shown for completed referrals
    # only (referrals/_case_referrals.html): no query for them while support goes on.
    prefetch_related_objects(
        [r for r in referrals if r.status == Referral.Status.COMPLETED],
        Prefetch("pathway_outcomes", queryset=PathwayOutcome.objects.select_related("pathway")),
    )
    return referrals


def _annotate_ending(referral) -> None:
    """Which of the ways a referral ends the templates show: why it was returned or closed
    by the police, or the end-of-support summary."""
    referral.show_return_reason = referral.status == Referral.Status.RETURNED
    referral.show_withdrawal_reason = referral.status == Referral.Status.WITHDRAWN
    referral.show_summary = referral.status == Referral.Status.COMPLETED


def _annotate_reports(reports) -> list:
    """Mark the "complied" reports still waiting for the officer to confirm compliance: not
    applied as compliance, and their condition still pending."""
    for report in reports:
        report.awaiting_confirmation = (
            not report.applied_as_compliance
            and report.condition is not None
            and report.condition.status == Condition.Status.PENDING
        )
    return reports


def _by_referral(rows) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row.referral_id, []).append(row)
    return grouped


def _annotate_sessions(referral, sessions) -> None:
    """Mark corrected entries and count attendance over the entries that stand."""
    sessions = list(sessions)
    corrected_ids = {s.corrects_id for s in sessions if s.corrects_id}
    standing = []
    for session in sessions:
        session.is_corrected = session.pk in corrected_ids
        if not session.is_corrected:
            standing.append(session)
    referral.session_list = sessions
    referral.standing_sessions = standing
    referral.attendance_counts = {
        "present": sum(1 for s in standing if s.attendance in SupportSession.PRESENT),
        "missed": sum(1 for s in standing if s.missed_without_acceptable_reason),
        "total": len(standing),
    }
    # Consecutive most recent sessions missed without an accepted reason (sessions cancelled
    # by the provider or rescheduled neither break nor extend the run).
    run = 0
    for session in sorted(standing, key=lambda s: (s.occurred_at, s.pk), reverse=True):
        if session.attendance in SupportSession.PRESENT:
            break
        if session.attendance == SupportSession.Attendance.DID_NOT_ATTEND:
            if session.absence_reason_accepted:
                break
            run += 1
    referral.consecutive_missed = run


_NON_ENGAGEMENT_FLAGS = PreparedQuery(
    lambda officer_id: (
        ProgressReport.objects.filter(
            kind=ProgressReport.Kind.NOT_ENGAGING,
            acknowledged_at__isnull=True,
            referral__case__officer_id=officer_id,
            referral__case__status__in=[Case.Status.ACTIVE, Case.Status.BREACH],
        )
        .select_related(
            "referral__provider",
            "referral__case__person",
            "condition__condition_type",
        )
        # What the worklist banner shows, no more (cautions.selectors.CASE_ROW explains why)
        .only(
            "reported_at",
            "details",
            "referral__provider__name",
            "referral__case__reference",
            *under("referral__case__person", Person.NAME_FIELDS),
            "condition__condition_type__label",
        )
        .order_by("reported_at", "pk")
    )
)


_COMPLIED_AWAITING_CONFIRMATION = PreparedQuery(
    lambda officer_id: (
        ProgressReport.objects.filter(
            kind=ProgressReport.Kind.COMPLIED,
            applied_as_compliance=False,
            condition__status=Condition.Status.PENDING,
            referral__case__officer_id=officer_id,
            referral__case__status__in=[Case.Status.ACTIVE, Case.Status.BREACH],
        )
        .select_related("referral__provider", "referral__case__person", "condition__condition_type")
        .only(
            "reported_at",
            "complied_on",
            "details",
            "condition_id",
            "referral__provider__name",
            "referral__case__reference",
            *under("referral__case__person", Person.NAME_FIELDS),
            "condition__due_date",
            "condition__condition_type__label",
        )
        .order_by("reported_at", "pk")[:WORKLIST_LIMIT]
    )
)

_RETURNED_REFERRALS = PreparedQuery(
    lambda officer_id: (
        Referral.objects.filter(
            status=Referral.Status.RETURNED,
            case__officer_id=officer_id,
            case__status__in=[Case.Status.ACTIVE, Case.Status.BREACH],
        )
        .select_related("provider", "case__person")
        .only(
            "updated_at",
            "return_reason",
            "provider__name",
            "case__reference",
            *under("case__person", Person.NAME_FIELDS),
        )
        .order_by("updated_at", "pk")[:WORKLIST_LIMIT]
    )
)


def complied_reports_awaiting_confirmation(user):
    """Providers' "complied" reports on the officer's running cases that wait for the officer
    to confirm compliance (not applied as compliance, the condition still pending). One
    query, at most WORKLIST_LIMIT rows."""
    return _COMPLIED_AWAITING_CONFIRMATION(user.pk)


def returned_referrals_for_officer(user):
    """Referrals a provider returned on the officer's running cases: the conditions they were
    for read "Pending" with nobody supporting the person until the officer refers again or
    varies them. One query, at most WORKLIST_LIMIT rows."""
    return _RETURNED_REFERRALS(user.pk)


def non_engagement_flags_for_officer(user):
    """Open "not engaging" reports on the cases this officer is in charge of (worklist):
    not yet acknowledged, on a caution that is still running. One query."""
    return _NON_ENGAGEMENT_FLAGS(user.pk)


@dataclass
class ReferralPage:
    referral: Referral
    conditions: list
    needs: list
    sessions: list
    standing_sessions: list
    progress_reports: list
    pathway_outcomes: list
    events: list
    attendance_counts: dict
    suggest_not_engaging: bool
    pending_conditions: list = field(default_factory=list)
    awaiting_confirmation_ids: set = field(default_factory=set)
    upcoming_appointments: list = field(default_factory=list)
    past_appointments: list = field(default_factory=list)


def referral_page(referral: Referral, *, with_notes: bool) -> ReferralPage:
    """Everything the referral page shows, in a fixed number of queries: the conditions this
    provider supports, the needs assessments for the referral's pathways, sessions (with
    notes only when `with_notes`), progress reports, summary and history."""
    conditions = list(
        Condition.objects.filter(case_id=referral.case_id, provider_id=referral.provider_id)
        .select_related("condition_type")
        .order_by("due_date", "pk")
    )
    pathway_ids = set(referral.pathways.values_list("pk", flat=True)) | {
        c.condition_type.pathway_id for c in conditions if c.condition_type.pathway_id
    }
    needs = list(
        NeedAssessment.objects.filter(case_id=referral.case_id, pathway_id__in=pathway_ids)
        .select_related("pathway")
        .order_by("pathway__sort_order")
    )
    sessions_qs = SupportSession.objects.filter(referral=referral)
    if not with_notes:
        sessions_qs = sessions_qs.defer("notes", "next_steps")
    sessions = list(
        sessions_qs.select_related("recorded_by", "corrects")
        .prefetch_related("pathways")
        .order_by("-occurred_at", "-id")
    )
    _annotate_sessions(referral, sessions)
    reports = _annotate_reports(
        list(
            referral.progress_reports.select_related(
                "condition__condition_type", "reported_by", "acknowledged_by"
            )
        )
    )
    outcomes = list(referral.pathway_outcomes.select_related("pathway"))
    appointments = list(
        referral.appointments.select_related(
            "with_whom__profile", "pathway", "condition__condition_type"
        )
    )
    events = list(ReferralEvent.objects.filter(referral=referral).select_related("actor"))
    for event in events:
        event.reader_may_read_notes = with_notes  # reasons about notes follow the notes
    reported_since = any(
        r.kind == ProgressReport.Kind.NOT_ENGAGING
        and (
            not referral.standing_sessions
            or r.reported_at >= referral.standing_sessions[0].created_at
        )
        for r in reports
    )
    pending = [c for c in conditions if c.status == Condition.Status.PENDING]
    awaiting = {
        r.condition_id
        for r in reports
        if r.kind == ProgressReport.Kind.COMPLIED and not r.applied_as_compliance
    }
    for condition in conditions:
        condition.awaiting_confirmation = (
            condition.status == Condition.Status.PENDING and condition.pk in awaiting
        )
    _annotate_ending(referral)
    return ReferralPage(
        referral=referral,
        conditions=conditions,
        needs=needs,
        sessions=sessions,
        standing_sessions=referral.standing_sessions,
        progress_reports=reports,
        pathway_outcomes=outcomes,
        events=events,
        attendance_counts=referral.attendance_counts,
        suggest_not_engaging=(
            referral.status in OPEN_STATUSES
            and referral.consecutive_missed >= NOT_ENGAGING_SUGGESTION_AFTER
            and not reported_since
        ),
        pending_conditions=pending,
        awaiting_confirmation_ids=awaiting,
        upcoming_appointments=[a for a in appointments if a.is_booked],
        past_appointments=[a for a in reversed(appointments) if not a.is_booked],
    )
