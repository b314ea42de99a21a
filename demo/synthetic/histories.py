"""One person's history at a time: people, offences, cases, referrals, reoffences.

The Builder holds the tables being loaded and makes each person's rows; the steps of a case
(demo.synthetic.cases) and of its support (demo.synthetic.support) are its parts.
"""

from __future__ import annotations

import datetime as dt

from cautions.models import (
    Administration,
    Breach,
    Case,
    CaseEvent,
    Condition,
    EligibilityAssessment,
    NeedAssessment,
    VictimViews,
)
from cautions.report_masks import report_mask
from demo.synthetic.cases import CaseSteps
from demo.synthetic.draws import aware, weighted
from demo.synthetic.loader import Loader, Pending
from demo.synthetic.reference import (
    AGE_BANDS,
    CATEGORY_WEIGHTS,
    DISTRICT_WEIGHTS,
    ETHNICITY_WEIGHTS,
    FIRST_NAMES,
    LAST_NAMES,
    SEX_WEIGHTS,
    START,
    STREETS,
    TOWNS,
    UTC,
)
from demo.synthetic.staff import Staff
from demo.synthetic.support import SupportSteps
from hub.lib.dates import age_on
from hub.lib.pnc import format_pnc
from hub.models import (
    ConditionType,
    District,
    NeedPathway,
    Offence,
    OffenceCategory,
    Person,
    ReoffenceRecord,
)
from referrals.models import (
    PathwayOutcome,
    ProgressReport,
    Referral,
    ReferralEvent,
    SupportSession,
)

SYNTHETIC_PNC_SERIAL_BASE = 5_000_000


class Builder(CaseSteps, SupportSteps):
    """Makes each person's history and hands the rows to the loader."""

    def __init__(self, loader: Loader, rng, today, staff: Staff, batch_id):
        self.loader, self.rng, self.today, self.staff, self.batch_id = (
            loader, rng, today, staff, batch_id,
        )  # fmt: skip
        self.districts = {d.name: d.pk for d in District.objects.all()}
        self.categories = {k.key: k for k in OffenceCategory.objects.all()}
        pathways = list(NeedPathway.objects.all())
        self.pathways = {p.key: p.pk for p in pathways}
        self.ctypes = {t.key: t for t in ConditionType.objects.all()}
        # The report bits of the case being made (its conditions' types, its assessed
        # pathways): its masks are written with its row, as cautions.report_masks would have
        # them, for the load runs with the masks' triggers off.
        self.pathway_report_bits = {p.key: p.report_bit for p in pathways}
        self.condition_bits: list[int] = []
        self.need_bits: list[int] = []
        self.span = (today - START).days
        self.import_at = dt.datetime(2019, 1, 7, 10, 0, tzinfo=UTC)
        self.imported_cases = 0
        L = loader
        self.t_person = L.table(Person, [
            "id", "first_name", "last_name", "date_of_birth", "sex", "ethnicity", "pnc_id",
            "district_id", "address", "phone", "email", "created_at", "created_by_id",
        ])  # fmt: skip
        self.t_offence = L.table(Offence, [
            "id", "person_id", "category_id", "description", "offence_date", "district_id",
            "gravity_score", "gravity_rationale", "mode_of_trial", "domestic_abuse",
            "hate_crime", "victim_present", "recorded_by_id", "created_at",
        ])  # fmt: skip
        self.t_case = L.table(Case, [
            "id", "reference", "person_id", "offence_id", "disposal_type", "status", "source",
            "officer_id", "provider_report_is_compliance", "version", "created_at",
            "updated_at", "authorised_by_id", "authorised_at", "authorisation_reason",
            "prosecutor_authority_ref", "caution_date", "administered_by_id", "age_at_caution",
            "compliance_period_weeks", "compliance_extension_reason", "compliance_deadline",
            "outcome_date", "closure_reason", "charge_date", "court_outcome_kind",
            "court_outcome", "court_outcome_date", "crime_outcome", "retention_review_date", "prosecution_status",
            "needs_recorded_at", "withdrawal_kind", "condition_types_mask",
            "assessed_pathways_mask",
        ])  # fmt: skip
        self.t_elig = L.table(EligibilityAssessment, [
            "id", "case_id", "assessed_by_id", "assessed_at", "planned_caution_date",
            "admission_method", "prosecutor_authority_ref", "result", "answers", "snapshot",
        ])  # fmt: skip
        self.t_need = L.table(NeedAssessment, [
            "id", "case_id", "pathway_id", "severity", "notes", "assessed_by_id", "assessed_at",
        ])  # fmt: skip
        self.t_victim = L.table(VictimViews, [
            "id", "case_id", "kind", "views", "efforts", "requested_action",
            "restorative_justice_consent", "recorded_by_id", "recorded_at",
        ])  # fmt: skip
        self.t_admin = L.table(Administration, [
            "id", "case_id", "admission_method", "admitted", "effect_explained",
            "warned_of_prosecution", "consented", "document_signed", "signed_at",
            "signed_place", "administered_by_id", "time_limit_warning",
        ])  # fmt: skip
        self.t_condition = L.table(Condition, [
            "id", "case_id", "condition_type_id", "description", "due_date", "provider_id",
            "amount", "hours", "status", "complied_on", "evidence", "marked_by_id", "marked_at",
            "overdue_since", "version", "created_at",
        ])  # fmt: skip
        self.t_breach = L.table(Breach, [
            "id", "case_id", "condition_id", "recorded_by_id", "recorded_at", "failure_details",
            "excuse_given", "reasonable_excuse", "excuse_assessment", "decision",
            "decided_by_id", "decided_at", "decision_reason",
        ])  # fmt: skip
        self.t_event = L.table(CaseEvent, [
            "id", "case_id", "at", "actor_id", "kind", "from_status", "to_status", "reason",
            "data",
        ])  # fmt: skip
        self.t_referral = L.table(Referral, [
            "id", "case_id", "provider_id", "status", "source", "reason", "due_date",
            "referred_by_id", "assigned_to_id", "accepted_at", "return_reason",
            "withdrawal_reason", "closing_note", "closed_at", "created_at", "updated_at",
        ])  # fmt: skip
        self.t_ref_pathway = L.table(
            Referral.pathways.through, ["id", "referral_id", "needpathway_id"]
        )
        self.t_session = L.table(SupportSession, [
            "id", "referral_id", "occurred_at", "duration_minutes", "kind", "attendance",
            "absence_reason_accepted", "notes", "next_steps", "recorded_by_id", "created_at",
            "updated_at",
        ])  # fmt: skip
        self.t_progress = L.table(ProgressReport, [
            "id", "referral_id", "condition_id", "kind", "complied_on", "details",
            "applied_as_compliance", "reported_by_id", "reported_at", "acknowledged_by_id",
            "acknowledged_at",
        ])  # fmt: skip
        self.t_outcome = L.table(PathwayOutcome, ["id", "referral_id", "pathway_id", "outcome"])
        self.t_ref_event = L.table(ReferralEvent, [
            "id", "referral_id", "at", "actor_id", "kind", "from_status", "to_status",
            "reason", "data",
        ])  # fmt: skip
        self.t_reoffence = L.table(ReoffenceRecord, [
            "id", "person_ref", "person_id", "offence_date", "proven_date", "offence_category",
            "disposal", "batch_id",
        ])  # fmt: skip

    # ------------------------------------------------------------------ helpers

    def _add_case(self, row: dict) -> None:
        row["condition_types_mask"] = report_mask(self.condition_bits)
        row["assessed_pathways_mask"] = report_mask(self.need_bits)
        self.loader.add(self.t_case, tuple(row[k] for k in self.t_case.columns))

    def _id(self, table: Pending) -> int:
        return self.loader.ids(table.model, 1)

    def _event(self, case_id, at, actor, kind, frm, to, reason=""):
        self.loader.add(
            self.t_event, (self._id(self.t_event), case_id, at, actor, kind, frm, to, reason, {})
        )

    def _ref_event(self, referral_id, at, actor, kind, frm, to, reason=""):
        self.loader.add(
            self.t_ref_event,
            (self._id(self.t_ref_event), referral_id, at, actor, kind, frm, to, reason, {}),
        )

    # ------------------------------------------------------------------ people

    def run(self, count: int) -> None:
        rng = self.rng
        sexes = weighted(rng, SEX_WEIGHTS, count)
        ethnicities = weighted(rng, ETHNICITY_WEIGHTS, count)
        districts = weighted(rng, DISTRICT_WEIGHTS, count)
        first_id = self.loader.ids(Person, count)
        for n in range(count):
            self.person(first_id + n, sexes[n], ethnicities[n], districts[n])

    def person(self, pid: int, sex: str, ethnicity: str, district: str) -> None:
        rng, today = self.rng, self.today
        # Caution dates grow denser towards today (the scheme expanded).
        first_day = START + dt.timedelta(days=int(self.span * rng.random() ** 0.7))
        low, high, _w = rng.choices(AGE_BANDS, weights=[b[2] for b in AGE_BANDS])[0]
        age = rng.randint(low, high)
        dob = first_day - dt.timedelta(days=int(age * 365.25) + rng.randint(1, 360))
        names = FIRST_NAMES["female" if sex == "female" else "male"]
        town, postcode = TOWNS[district]
        # A valid PNC ID (check letter included); serials from 5,000,000 never meet the demo
        # people's (100001-200010).
        pnc = format_pnc(first_day.year, SYNTHETIC_PNC_SERIAL_BASE + pid)
        officer = rng.choice(self.staff.officers)
        created = aware(first_day - dt.timedelta(days=rng.randint(3, 30)), rng)
        self.loader.add(self.t_person, (
            pid, rng.choice(names), rng.choice(LAST_NAMES), dob, sex, ethnicity, pnc,
            self.districts[district],
            f"{rng.randint(1, 180)} {rng.choice(STREETS)}, {town} {postcode} {rng.randint(1, 9)}"
            f"{chr(65 + rng.randint(0, 25))}{chr(65 + rng.randint(0, 25))}",
            f"07700 900{rng.randint(0, 999):03d}", "", created, officer,
        ))  # fmt: skip
        # About one person in eight comes back for a second case within two years.
        days = [first_day]
        if rng.random() < 0.12:
            later = first_day + dt.timedelta(days=rng.randint(200, 730))
            if later < today - dt.timedelta(days=2):
                days.append(later)
        failed_any = False
        for day in days:
            failed_any |= self.case(pid, dob, district, day, officer) == "failed"
        self.reoffences(pid, pnc, days[0], dob, failed_any)

    # ------------------------------------------------------------------ reoffences

    def reoffences(self, pid, pnc, index_day, dob, failed) -> None:
        """PNC records for the person: about a quarter reoffend within a year of the index
        caution; some records fall outside the measure (before the index date, after the year,
        proven too late) so that the report's rules have something to exclude."""
        rng, today = self.rng, self.today
        age = age_on(dob, index_day)
        rate = 0.205 + (0.12 if age < 25 else 0.0) - (0.08 if age >= 50 else 0.0)
        rate += 0.17 if failed else 0.0
        records: set[tuple[dt.date, dt.date, str]] = set()
        if rng.random() < rate:
            first = index_day + dt.timedelta(days=max(1, int(rng.expovariate(1 / 120)) % 365 + 1))
            for n in range(rng.choices([1, 2, 3, 4], weights=[55, 25, 12, 8])[0]):
                offence = first + dt.timedelta(days=n * rng.randint(10, 90))
                proven = offence + dt.timedelta(days=rng.randint(7, 200))
                records.add((offence, proven, weighted(rng, CATEGORY_WEIGHTS, 1)[0]))
        if rng.random() < 0.08:  # offending before the index date
            offence = index_day - dt.timedelta(days=rng.randint(30, 900))
            records.add((offence, offence + dt.timedelta(days=rng.randint(10, 120)), "theft"))
        if rng.random() < 0.10:  # after the follow-up year
            offence = index_day + dt.timedelta(days=rng.randint(380, 1500))
            records.add((offence, offence + dt.timedelta(days=rng.randint(10, 120)), "theft"))
        for offence, proven, category in sorted(records):
            if proven > today:
                continue
            self.loader.add(self.t_reoffence, (
                self._id(self.t_reoffence), pnc, pid, offence, proven, category,
                "conviction" if rng.random() < 0.7 else "caution", self.batch_id,
            ))  # fmt: skip
