"""One person's history at a time: people, offences, cases, referrals, reoffences."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from hub.lib.dates import add_months, age_on
from hub.models import (
    ConditionType,
    District,
    NeedPathway,
    Offence,
    OffenceCategory,
    Organisation,
    Person,
    Rank,
    StaffProfile,
)
from hub.roles import Role
from hub.synthetic.loader import Loader, Table
from hub.synthetic.reference import (
    AGE_BANDS,
    CATEGORY_WEIGHTS,
    DESCRIPTIONS,
    DISTRICT_WEIGHTS,
    ETHNICITY_WEIGHTS,
    FIRST_NAMES,
    FORCE,
    IMPORTED_BEFORE,
    LAST_NAMES,
    PATHWAY_CONDITION,
    PATHWAY_WEIGHTS,
    PROVIDERS,
    RULE_FAILURES,
    RULE_PASSES,
    SEX_WEIGHTS,
    START,
    STREETS,
    TOWNS,
    UTC,
    VICTIM_CATEGORIES,
)


def _weighted(rng: random.Random, weights: dict, k: int) -> list:
    return rng.choices(list(weights), weights=list(weights.values()), k=k)


def _aware(day: dt.date, rng: random.Random, start_hour: int = 8, end_hour: int = 19):
    return dt.datetime(
        day.year, day.month, day.day, rng.randint(start_hour, end_hour - 1), rng.randint(0, 59),
        tzinfo=UTC,
    )  # fmt: skip


@dataclass
class Staff:
    officers: list[int]
    sergeants: list[int]
    caseworkers: dict[int, list[int]]  # provider id -> user ids
    providers: list[tuple[int, int]]  # (provider id, weight)
    analyst: int | None


def ensure_staff(ctx_users: dict, *, officers: int, sergeants: int) -> Staff:
    """Synthetic staff around the demo users (idempotent: found by username)."""
    user_model = get_user_model()
    force = Organisation.objects.get_or_create(
        name=FORCE, defaults={"kind": Organisation.Kind.POLICE_FORCE}
    )[0]
    providers = []
    for name, weight in PROVIDERS:
        org = Organisation.objects.get_or_create(
            name=name, defaults={"kind": Organisation.Kind.SUPPORT_PROVIDER}
        )[0]
        providers.append((org, weight))
    groups = {g.name: g for g in Group.objects.filter(name__in=Role.ALL)}

    def user(username, first, last, org, roles, rank=""):
        account = user_model.objects.filter(username=username).first()
        if account is None:
            account = user_model(username=username, first_name=first, last_name=last)
            account.set_unusable_password()
            account.save()
            account.groups.add(*[groups[r] for r in roles if r in groups])
            StaffProfile.objects.create(user=account, organisation=org, rank=rank)
        return account.pk

    officer_ids = [
        user(f"pc{n:04d}", "Synthetic", f"Officer {n}", force, [Role.OFFICER], Rank.CONSTABLE)
        for n in range(1, officers + 1)
    ]
    sergeant_ids = [
        user(
            f"ps{n:04d}",
            "Synthetic",
            f"Sergeant {n}",
            force,
            [Role.OFFICER, Role.AUTHORISING_OFFICER],
            Rank.SERGEANT,
        )
        for n in range(1, sergeants + 1)
    ]
    caseworkers = {}
    for index, (org, _weight) in enumerate(providers):
        caseworkers[org.pk] = [
            user(
                f"sw{index}{n:02d}", "Synthetic", f"Caseworker {index}-{n}", org, [Role.CASEWORKER]
            )
            for n in range(1, 4)
        ]
    # The demo users take an ordinary share of the work.
    if "officer" in ctx_users:
        officer_ids.append(ctx_users["officer"].pk)
    if "sergeant" in ctx_users:
        sergeant_ids.append(ctx_users["sergeant"].pk)
    for name in ("caseworker", "caseworker2"):
        demo = ctx_users.get(name)
        if demo is not None and hasattr(demo, "profile"):
            caseworkers.setdefault(demo.profile.organisation_id, []).append(demo.pk)
    analyst = ctx_users.get("analyst")
    return Staff(
        officers=officer_ids,
        sergeants=sergeant_ids,
        caseworkers=caseworkers,
        providers=[(org.pk, weight) for org, weight in providers],
        analyst=analyst.pk if analyst else None,
    )


class Builder:
    """Makes each person's history and hands the rows to the loader."""

    def __init__(self, loader: Loader, rng, today, staff: Staff, batch_id, c, r, rep):
        self.loader, self.rng, self.today, self.staff, self.batch_id = (
            loader, rng, today, staff, batch_id,
        )  # fmt: skip
        self.c, self.r, self.rep = c, r, rep
        self.districts = {d.name: d.pk for d in District.objects.all()}
        self.categories = {k.key: k for k in OffenceCategory.objects.all()}
        pathways = list(NeedPathway.objects.all())
        self.pathways = {p.key: p.pk for p in pathways}
        self.ctypes = {t.key: t for t in ConditionType.objects.all()}
        # The case's report masks (cautions.report_masks), written with its row: the load
        # runs with the masks' triggers off.
        self.pathway_bits = {p.key: 1 << p.report_bit for p in pathways}
        self.types_mask = self.pathways_mask = 0
        self.span = (today - START).days
        self.import_at = dt.datetime(2019, 1, 7, 10, 0, tzinfo=UTC)
        self.imported_cases = 0
        self.cohort_rate_shift = 0.0
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
        self.t_case = L.table(c.Case, [
            "id", "reference", "person_id", "offence_id", "disposal_type", "status", "source",
            "officer_id", "provider_report_is_compliance", "version", "created_at",
            "updated_at", "authorised_by_id", "authorised_at", "authorisation_reason",
            "prosecutor_authority_ref", "caution_date", "administered_by_id", "age_at_caution",
            "compliance_period_weeks", "compliance_extension_reason", "compliance_deadline",
            "outcome_date", "closure_reason", "charge_date", "court_outcome",
            "court_outcome_date", "retention_review_date", "prosecution_status",
            "needs_recorded_at", "withdrawal_kind", "condition_types_mask",
            "assessed_pathways_mask",
        ])  # fmt: skip
        self.t_elig = L.table(c.EligibilityAssessment, [
            "id", "case_id", "assessed_by_id", "assessed_at", "planned_caution_date",
            "admission_method", "prosecutor_authority_ref", "result", "answers", "snapshot",
        ])  # fmt: skip
        self.t_need = L.table(c.NeedAssessment, [
            "id", "case_id", "pathway_id", "severity", "notes", "assessed_by_id", "assessed_at",
        ])  # fmt: skip
        self.t_victim = L.table(c.VictimViews, [
            "id", "case_id", "kind", "views", "efforts", "requested_action",
            "restorative_justice_consent", "recorded_by_id", "recorded_at",
        ])  # fmt: skip
        self.t_admin = L.table(c.Administration, [
            "id", "case_id", "admission_method", "admitted", "effect_explained",
            "warned_of_prosecution", "consented", "document_signed", "signed_at",
            "signed_place", "administered_by_id", "time_limit_warning",
        ])  # fmt: skip
        self.t_condition = L.table(c.Condition, [
            "id", "case_id", "condition_type_id", "description", "due_date", "provider_id",
            "amount", "hours", "status", "complied_on", "evidence", "marked_by_id", "marked_at",
            "overdue_since", "version", "created_at",
        ])  # fmt: skip
        self.t_breach = L.table(c.Breach, [
            "id", "case_id", "condition_id", "recorded_by_id", "recorded_at", "failure_details",
            "excuse_given", "reasonable_excuse", "excuse_assessment", "decision",
            "decided_by_id", "decided_at", "decision_reason",
        ])  # fmt: skip
        self.t_event = L.table(c.CaseEvent, [
            "id", "case_id", "at", "actor_id", "kind", "from_status", "to_status", "reason",
            "data",
        ])  # fmt: skip
        self.t_referral = L.table(r.Referral, [
            "id", "case_id", "provider_id", "status", "source", "reason", "due_date",
            "referred_by_id", "assigned_to_id", "accepted_at", "return_reason",
            "withdrawal_reason", "closing_note", "closed_at", "created_at", "updated_at",
        ])  # fmt: skip
        self.t_ref_pathway = L.table(
            r.Referral.pathways.through, ["id", "referral_id", "needpathway_id"]
        )
        self.t_session = L.table(r.SupportSession, [
            "id", "referral_id", "occurred_at", "duration_minutes", "kind", "attendance",
            "absence_reason_accepted", "notes", "next_steps", "recorded_by_id", "created_at",
            "updated_at",
        ])  # fmt: skip
        self.t_progress = L.table(r.ProgressReport, [
            "id", "referral_id", "condition_id", "kind", "complied_on", "details",
            "applied_as_compliance", "reported_by_id", "reported_at", "acknowledged_by_id",
            "acknowledged_at",
        ])  # fmt: skip
        self.t_outcome = L.table(r.PathwayOutcome, ["id", "referral_id", "pathway_id", "outcome"])
        self.t_ref_event = L.table(r.ReferralEvent, [
            "id", "referral_id", "at", "actor_id", "kind", "from_status", "to_status",
            "reason", "data",
        ])  # fmt: skip
        self.t_reoffence = L.table(rep.ReoffenceRecord, [
            "id", "person_ref", "person_id", "offence_date", "proven_date", "offence_category",
            "disposal", "batch_id",
        ])  # fmt: skip

    # ------------------------------------------------------------------ helpers

    def _add_case(self, row: dict) -> None:
        row["condition_types_mask"] = self.types_mask
        row["assessed_pathways_mask"] = self.pathways_mask
        self.loader.add(self.t_case, tuple(row[k] for k in self.t_case.columns))

    def _id(self, table: Table) -> int:
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
        sexes = _weighted(rng, SEX_WEIGHTS, count)
        ethnicities = _weighted(rng, ETHNICITY_WEIGHTS, count)
        districts = _weighted(rng, DISTRICT_WEIGHTS, count)
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
        pnc = f"{first_day.year % 100:02d}/{pid:07d}{chr(65 + pid % 26)}"
        officer = rng.choice(self.staff.officers)
        created = _aware(first_day - dt.timedelta(days=rng.randint(3, 30)), rng)
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

    # ------------------------------------------------------------------ cases

    def case(self, pid, dob, district, day, officer) -> str:
        """One offence and its case; returns the reporting outcome or the pre-caution state."""
        rng, today, c = self.rng, self.today, self.c
        S = c.CaseStatus
        key = _weighted(rng, CATEGORY_WEIGHTS, 1)[0]
        category = self.categories[key]
        gravity = min(4, max(1, category.default_gravity + rng.choice([-1, 0, 0, 0, 0, 0, 0, 1])))
        offence_day = day - dt.timedelta(days=rng.randint(6, 40))
        offence_id = self._id(self.t_offence)
        created = _aware(offence_day + dt.timedelta(days=1), rng)
        domestic = rng.random() < 0.02
        self.loader.add(self.t_offence, (
            offence_id, pid, category.pk, DESCRIPTIONS[key].format(n=rng.randint(8, 400)),
            offence_day, self.districts[district], gravity,
            "Aggravated by the circumstances." if gravity > category.default_gravity else "",
            category.mode_of_trial, domestic, rng.random() < 0.01, key in VICTIM_CATEGORIES,
            officer, created,
        ))  # fmt: skip

        case_id = self._id(self.t_case)
        self.types_mask = self.pathways_mask = 0
        if day < IMPORTED_BEFORE:
            return self.imported_case(case_id, pid, offence_id, dob, day, key)
        sergeant = rng.choice([s for s in self.staff.sergeants if s != officer] or [None])
        assessed_at = created + dt.timedelta(hours=rng.randint(1, 48))
        recent = (today - day).days
        # Refusals: gravity 4 and excluded types always; about 9% for other reasons.
        roll = rng.random()
        refused = gravity == 4 or category.excluded or domestic or roll < 0.09
        if recent <= 10 and not refused and roll < 0.6:
            # In the pipeline before the caution is given.
            status = rng.choice([S.ASSESSMENT, S.AWAITING_AUTHORISATION, S.AUTHORISED])
        elif refused:
            status = S.NOT_ELIGIBLE
        elif roll < 0.11:
            status = S.DECLINED
        else:
            status = S.ACTIVE  # decided below
        self._event(case_id, created, officer, "case_started", "", S.ASSESSMENT)

        # Eligibility assessment (every case past the first step has one).
        if not (status == S.ASSESSMENT and roll < 0.3):
            self.eligibility(case_id, officer, assessed_at, day, gravity, refused)
            self._event(
                case_id, assessed_at, officer, "eligibility_assessed", S.ASSESSMENT,
                S.NOT_ELIGIBLE if refused else S.ASSESSMENT,
            )  # fmt: skip
        row = dict.fromkeys(self.t_case.columns)
        row.update(
            id=case_id, reference=f"CC-{day.year}-{case_id:06d}", person_id=pid,
            offence_id=offence_id, disposal_type="conditional_caution",
            source="import" if day.year < 2019 else "workflow", officer_id=officer,
            provider_report_is_compliance=rng.random() < 0.3, version=1, created_at=created,
            updated_at=assessed_at, authorisation_reason="", prosecutor_authority_ref="",
            compliance_extension_reason="", closure_reason="", court_outcome="",
            prosecution_status="", withdrawal_kind="",
        )  # fmt: skip
        if status in (S.NOT_ELIGIBLE, S.DECLINED, S.ASSESSMENT, S.AWAITING_AUTHORISATION):
            row["status"] = status
            if status == S.NOT_ELIGIBLE:
                row["outcome_date"] = assessed_at.date()
                row["closure_reason"] = "Not eligible for a conditional caution."
            elif status == S.DECLINED:
                row["outcome_date"] = (assessed_at + dt.timedelta(days=1)).date()
                row["closure_reason"] = "Authorisation declined: prosecution preferred."
                row["authorised_by_id"] = None
                self._event(case_id, assessed_at + dt.timedelta(days=1), sergeant, "declined",
                            S.AWAITING_AUTHORISATION, S.DECLINED, "Prosecution preferred.")  # fmt: skip
            if row["outcome_date"]:
                row["retention_review_date"] = add_months(row["outcome_date"], 72)
            row["version"] = 2
            self._add_case(row)
            return status

        # Authorised (and, unless still waiting, cautioned).
        authorised_at = assessed_at + dt.timedelta(hours=rng.randint(2, 30))
        row.update(
            authorised_by_id=sergeant, authorised_at=authorised_at,
            authorisation_reason="Gravity 3: conditions address the offending." if gravity == 3
            else "",
        )  # fmt: skip
        self._event(case_id, authorised_at, sergeant, "authorised", S.AWAITING_AUTHORISATION,
                    S.AUTHORISED)  # fmt: skip
        needs = self.needs(case_id, officer, assessed_at)
        row["needs_recorded_at"] = assessed_at
        if status == S.AUTHORISED:
            row.update(status=S.AUTHORISED, version=4, updated_at=authorised_at)
            self._add_case(row)
            return status

        caution_day = max(day, authorised_at.date())
        if caution_day > today:
            caution_day, authorised_at = today, _aware(today, rng, 8, 9)
        weeks = 16 if rng.random() < 0.85 else rng.choice([8, 12, 18, 20])
        deadline = caution_day + dt.timedelta(weeks=weeks)
        row.update(
            caution_date=caution_day, administered_by_id=officer,
            age_at_caution=max(18, age_on(dob, caution_day)), compliance_period_weeks=weeks,
            compliance_extension_reason="Treatment place starts late." if weeks > 16 else "",
            compliance_deadline=deadline, prosecution_status="deferred",
        )  # fmt: skip
        signed_at = _aware(caution_day, rng)
        self.victim(case_id, officer, signed_at, row)
        self.loader.add(self.t_admin, (
            self._id(self.t_admin), case_id, "interview", True, True, True, True, True,
            signed_at, "Parkside Police Station, Cambridge", officer, "",
        ))  # fmt: skip
        self._event(case_id, signed_at, officer, "caution_administered", S.AUTHORISED, S.ACTIVE)

        # The outcome: in progress while the deadline is ahead, else the published shares.
        if deadline >= today:
            outcome = "breach" if rng.random() < 0.08 else "active"
        else:
            o = rng.random()
            # 81.5% complied, 15.5% failed, 3% withdrawn: complied / (complied + failed) = 84%.
            outcome = "complied" if o < 0.815 else "withdrawn" if o < 0.845 else "failed"
        conditions = self.conditions(case_id, officer, caution_day, deadline, needs, outcome, key)
        self.referrals(case_id, officer, caution_day, deadline, conditions, outcome)

        if outcome == "complied":
            done = max([cd["complied_on"] for cd in conditions] + [caution_day])
            row.update(status=S.COMPLIED, outcome_date=done, prosecution_status="not_pursued",
                       closure_reason="All conditions complied with.")  # fmt: skip
            self._event(case_id, _aware(done, rng), officer, "caution_completed", S.ACTIVE,
                        S.COMPLIED)  # fmt: skip
        elif outcome == "withdrawn":
            end = caution_day + dt.timedelta(days=rng.randint(1, weeks * 7))
            row.update(status=S.WITHDRAWN, outcome_date=end, withdrawal_kind="error",
                       closure_reason="Recorded against the wrong person.",
                       prosecution_status="not_pursued")  # fmt: skip
            self._event(case_id, _aware(end, rng), officer, "withdrawn", S.ACTIVE, S.WITHDRAWN)
        elif outcome in ("failed", "breach"):
            failed = next((cd for cd in conditions if cd["status"] == "not_complied"), None)
            recorded = min(today, deadline + dt.timedelta(days=rng.randint(0, 10)))
            if outcome == "breach":
                recorded = min(today, caution_day + dt.timedelta(days=rng.randint(14, 60)))
            breach_at = _aware(recorded, rng)
            # Historic imports often record "failed" without the breach decision behind it.
            historic = outcome == "failed" and day.year < 2019 and rng.random() < 0.5
            decision = ""
            if outcome == "failed" and not historic:
                decision = rng.choice(["resume_prosecution", "resume_prosecution",
                                       "no_further_action"])  # fmt: skip
            decided_at = None
            if decision:
                decided_at = min(breach_at + dt.timedelta(days=rng.randint(1, 14)),
                                 _aware(today, rng, 8, 9))  # fmt: skip
                decided_at = max(decided_at, breach_at)
            if not historic:
                self.loader.add(self.t_breach, (
                    self._id(self.t_breach), case_id, failed["id"] if failed else None, officer,
                    breach_at, "Did not attend the agreed sessions.", "",
                    False if decision else None, "No reasonable excuse given." if decision else "",
                    decision, sergeant if decision else None, decided_at,
                    "Failure without reasonable excuse." if decision else "",
                ))  # fmt: skip
                self._event(case_id, breach_at, officer, "breach_recorded", S.ACTIVE, S.BREACH)
            if outcome == "breach":
                row.update(status=S.BREACH)
            elif decision == "resume_prosecution":
                charge = decided_at.date()
                row.update(status=S.PROSECUTION_RESUMED, outcome_date=charge, charge_date=charge,
                           prosecution_status="resumed",
                           closure_reason="Failed without reasonable excuse: charged.")  # fmt: skip
                if rng.random() < 0.7:
                    row.update(
                        court_outcome=rng.choice(["Fine", "Community order", "Discharge"]),
                        court_outcome_date=charge + dt.timedelta(days=rng.randint(20, 90)),
                    )
                self._event(case_id, decided_at, sergeant, "breach_decided", S.BREACH,
                            S.PROSECUTION_RESUMED)  # fmt: skip
            elif decision == "no_further_action":
                row.update(
                    status=S.FAILED_NO_FURTHER_ACTION,
                    outcome_date=decided_at.date(),
                    prosecution_status="not_pursued",
                    closure_reason="Failed: prosecution not in the public interest.",
                )
                self._event(case_id, decided_at, sergeant, "breach_decided", S.BREACH,
                            S.FAILED_NO_FURTHER_ACTION)  # fmt: skip
            else:
                row.update(status=S.FAILED, outcome_date=recorded,
                           closure_reason="Failed to comply (historic record).")  # fmt: skip
        else:
            row.update(status=S.ACTIVE)
        if row["status"] in c.CLOSED:
            row["retention_review_date"] = add_months(row["outcome_date"], 72)
            row["updated_at"] = _aware(row["outcome_date"], rng)
        else:
            row["updated_at"] = signed_at
        row["version"] = 6
        self._add_case(row)
        return "failed" if outcome == "failed" else row["status"]

    def imported_case(self, case_id, pid, offence_id, dob, day, key) -> str:
        """A historic case brought in by the case import (reporting.services): a caution with
        its outcome and conditions, and nothing of the workflow (no eligibility record, needs,
        referrals or timeline), as the import itself creates it."""
        rng, c = self.rng, self.c
        S = c.CaseStatus
        self.imported_cases += 1
        o = rng.random()
        status = S.COMPLIED if o < 0.815 else S.WITHDRAWN if o < 0.845 else S.FAILED
        weeks = 16
        deadline = day + dt.timedelta(weeks=weeks)
        outcome_day = deadline - dt.timedelta(days=rng.randint(0, 30))
        row = dict.fromkeys(self.t_case.columns)
        row.update(
            id=case_id, reference=f"HIST-{day.year}-{case_id:06d}", person_id=pid,
            offence_id=offence_id, disposal_type="conditional_caution", status=status,
            source="import", provider_report_is_compliance=False, version=1,
            created_at=self.import_at, updated_at=self.import_at, authorisation_reason="",
            prosecutor_authority_ref="", caution_date=day, age_at_caution=age_on(dob, day),
            compliance_period_weeks=weeks, compliance_extension_reason="",
            compliance_deadline=deadline, outcome_date=outcome_day,
            closure_reason="Imported historic case", court_outcome="",
            retention_review_date=add_months(outcome_day, 72), prosecution_status="",
            withdrawal_kind="",
        )  # fmt: skip
        condition_status = {S.COMPLIED: "complied", S.FAILED: "not_complied"}.get(status, "ended")
        keys = {PATHWAY_CONDITION[_weighted(rng, PATHWAY_WEIGHTS, 1)[0]]}
        if rng.random() < 0.4:
            keys.add(rng.choice(["apology_letter", "compensation", "repair_damage"]))
        for key_ in sorted(keys):
            ctype = self.ctypes[key_]
            self.types_mask |= 1 << ctype.report_bit
            self.loader.add(self.t_condition, (
                self._id(self.t_condition), case_id, ctype.pk, "Imported historic condition",
                deadline, None, Decimal(50) if ctype.has_amount else None, None,
                condition_status, outcome_day if condition_status == "complied" else None, "",
                None, None, None, 1, self.import_at,
            ))  # fmt: skip
        self._add_case(row)
        return "failed" if status == S.FAILED else status

    def eligibility(self, case_id, officer, at, day, gravity, refused) -> None:
        rng = self.rng
        rules = [
            {"key": k, "label": label, "result": "pass", "reason": reason}
            for k, label, reason in RULE_PASSES
        ]
        result = "eligible"
        if refused:
            k, label, reason = rng.choice(RULE_FAILURES)
            rules.append({"key": k, "label": label, "result": "fail", "reason": reason})
            result = "not_eligible"
        elif gravity == 3:
            rules[4] = {
                "key": "gravity",
                "label": "Gravity score",
                "result": "needs_authority",
                "reason": "Gravity 3 needs the authorising officer's recorded reason.",
            }
            result = "needs_authority"
        answers = {"admitted": not refused, "sufficient_evidence": True, "public_interest": True}
        self.loader.add(self.t_elig, (
            self._id(self.t_elig), case_id, officer, at, day, "interview", "", result, answers,
            {"result": result, "rules": rules, "synthetic": True},
        ))  # fmt: skip

    def needs(self, case_id, officer, at) -> list[str]:
        rng = self.rng
        count = rng.choices([1, 2, 3], weights=[50, 35, 15])[0]
        chosen = []
        while len(chosen) < count:
            key = _weighted(rng, PATHWAY_WEIGHTS, 1)[0]
            if key not in chosen:
                chosen.append(key)
        for key in chosen:
            self.pathways_mask |= self.pathway_bits[key]
            self.loader.add(self.t_need, (
                self._id(self.t_need), case_id, self.pathways[key],
                rng.choice(["low", "medium", "medium", "high"]), "", officer, at,
            ))  # fmt: skip
        return chosen

    def victim(self, case_id, officer, at, row) -> None:
        rng = self.rng
        if rng.random() < 0.4:
            kind, views, efforts = "no_victim", "", ""
        elif rng.random() < 0.75:
            kind, views, efforts = "views_obtained", "Wants an apology and repair.", ""
        else:
            kind, views, efforts = "not_obtained", "", "Two calls and a letter; no reply."
        self.loader.add(self.t_victim, (
            self._id(self.t_victim), case_id, kind, views, efforts, "",
            kind == "views_obtained" and rng.random() < 0.3, officer, at,
        ))  # fmt: skip

    def conditions(self, case_id, officer, caution_day, deadline, needs, outcome, category):
        rng, today = self.rng, self.today
        keys = [PATHWAY_CONDITION[n] for n in needs[: rng.choice([1, 1, 2])]]
        if category in VICTIM_CATEGORIES and rng.random() < 0.5:
            keys.append(rng.choice(["apology_letter", "compensation", "repair_damage"]))
        if rng.random() < 0.15:
            keys.append(rng.choice(["unpaid_work", "financial_penalty"]))
        if rng.random() < 0.05:
            keys.append("exclusion_zone")
        fail_index = rng.randrange(len(keys)) if outcome in ("failed", "breach") else -1
        cap = {"summary": 50, "either_way": 100, "indictable_only": 150}[
            self.categories[category].mode_of_trial
        ]
        made = []
        for index, key in enumerate(keys):
            ctype = self.ctypes[key]
            due = min(deadline, caution_day + dt.timedelta(days=rng.randint(21, 112)))
            provider = None
            if ctype.needs_provider:
                provider = rng.choices(
                    [p for p, _w in self.staff.providers],
                    weights=[w for _p, w in self.staff.providers],
                )[0]
            amount = None
            if ctype.has_amount:
                amount = Decimal(rng.randint(2, cap // 5) * 5 if key == "financial_penalty"
                                 else rng.randint(10, 300))  # fmt: skip
            hours = Decimal(rng.randint(2, 20)) if ctype.has_hours else None
            complied_on, status, marked_at, overdue = None, "pending", None, None
            if outcome == "complied" or (outcome in ("failed", "breach") and index != fail_index):
                complied_on = min(due, today) - dt.timedelta(days=rng.randint(0, 10))
                complied_on = max(complied_on, caution_day)
                status = "complied" if complied_on <= today else "pending"
                if status != "complied":
                    complied_on = None
            elif outcome in ("failed", "breach"):
                status = "not_complied" if outcome == "failed" or due < today else "pending"
            elif outcome == "withdrawn":
                status = "ended"
            elif outcome == "active" and due < today - dt.timedelta(days=14):
                complied_on, status = due - dt.timedelta(days=rng.randint(0, 7)), "complied"
                complied_on = max(complied_on, caution_day)
            if status == "pending" and due < today:
                overdue = due + dt.timedelta(days=1)
            if status != "pending":
                marked_at = _aware(complied_on or min(due, today), rng)
            cid = self._id(self.t_condition)
            self.types_mask |= 1 << ctype.report_bit
            self.loader.add(self.t_condition, (
                cid, case_id, ctype.pk, f"{ctype.label} as agreed with the person.", due,
                provider, amount, hours, status, complied_on,
                "Confirmed by the provider." if status == "complied" else "",
                officer if marked_at else None, marked_at, overdue, 2 if marked_at else 1,
                _aware(caution_day, rng),
            ))  # fmt: skip
            if status == "complied":
                self._event(case_id, marked_at, officer, "condition_complied", "active", "active")
            made.append({"id": cid, "key": key, "provider": provider, "due": due,
                         "status": status, "complied_on": complied_on or caution_day,
                         "pathway": ctype.pathway_id})  # fmt: skip
        return made

    def referrals(self, case_id, officer, caution_day, deadline, conditions, outcome) -> None:
        rng, today, R = self.rng, self.today, self.r.ReferralStatus
        by_provider: dict[int, list[dict]] = {}
        for cd in conditions:
            if cd["provider"]:
                by_provider.setdefault(cd["provider"], []).append(cd)
        for provider, conds in by_provider.items():
            rid = self._id(self.t_referral)
            created = _aware(caution_day, rng)
            worker = rng.choice(self.staff.caseworkers[provider])
            accepted = created + dt.timedelta(days=rng.randint(1, 5))
            due = max(cd["due"] for cd in conds)
            status, closing, closed, ret, wd = R.IN_PROGRESS, "", None, "", ""
            if outcome == "complied" or (outcome == "failed" and rng.random() < 0.5):
                status = R.COMPLETED
                closed = _aware(min(today, max(cd["complied_on"] for cd in conds)), rng)
                closed = max(closed, accepted)
                closing = "Support ended: engaged well." if outcome == "complied" else (
                    "Support ended: did not engage.")  # fmt: skip
            elif outcome == "withdrawn" or outcome == "failed":
                status, wd = R.WITHDRAWN, "The case was closed."
                closed = _aware(min(today, deadline), rng)
            elif (today - caution_day).days < 4:
                status = R.NEW
            elif rng.random() < 0.1:
                status = R.ACCEPTED
            if accepted.date() > today:
                accepted = created
            assigned = worker if status in (R.ACCEPTED, R.IN_PROGRESS, R.COMPLETED) else None
            if status == R.WITHDRAWN and rng.random() < 0.8:
                assigned = worker
            updated = closed or accepted
            self.loader.add(self.t_referral, (
                rid, case_id, provider, status, "conditions", "", due, officer, assigned,
                accepted if assigned else None, ret, wd, closing, closed, created, updated,
            ))  # fmt: skip
            pathways = sorted({cd["pathway"] for cd in conds if cd["pathway"]})
            for pathway in pathways:
                self.loader.add(self.t_ref_pathway, (self._id(self.t_ref_pathway), rid, pathway))
            self._ref_event(rid, created, officer, "created", "", R.NEW)
            if assigned:
                self._ref_event(rid, accepted, worker, "accepted", R.NEW, R.ACCEPTED)
            # Sessions from acceptance to the end (or today), about fortnightly.
            if status in (R.IN_PROGRESS, R.COMPLETED, R.WITHDRAWN) and assigned:
                end = closed or _aware(today, rng)
                at = accepted + dt.timedelta(days=rng.randint(2, 7))
                engaged = outcome != "failed"
                while at < end and at.date() <= today:
                    attendance = rng.choices(
                        ["attended", "late", "did_not_attend", "cancelled_by_provider",
                         "rescheduled"],
                        weights=[78, 8, 8, 3, 3] if engaged else [40, 8, 45, 4, 3],
                    )[0]  # fmt: skip
                    present = attendance in ("attended", "late")
                    self.loader.add(self.t_session, (
                        self._id(self.t_session), rid, at,
                        rng.choice([30, 45, 60, 90]) if present else None,
                        "assessment" if at - accepted < dt.timedelta(days=8)
                        else rng.choice(["one_to_one", "one_to_one", "group", "phone"]),
                        attendance, attendance == "did_not_attend" and rng.random() < 0.3,
                        "Discussed progress and next steps." if present else "",
                        "Next session booked." if present else "", worker, at, at,
                    ))  # fmt: skip
                    self._ref_event(rid, at, worker, "session_recorded", R.IN_PROGRESS,
                                    R.IN_PROGRESS)  # fmt: skip
                    at += dt.timedelta(days=rng.randint(7, 21))
            for cd in conds:
                if cd["status"] == "complied":
                    self.loader.add(self.t_progress, (
                        self._id(self.t_progress), rid, cd["id"], "complied", cd["complied_on"],
                        "Attended every session and completed the work.", False, worker,
                        _aware(cd["complied_on"], rng), None, None,
                    ))  # fmt: skip
                elif cd["status"] == "not_complied" or (
                    outcome == "breach" and cd["status"] == "pending"
                ):
                    reported = _aware(min(today, cd["due"]), rng)
                    self.loader.add(self.t_progress, (
                        self._id(self.t_progress), rid, cd["id"], "not_engaging", None,
                        "Missed the last three sessions without a reason.", False, worker,
                        reported, officer if outcome == "failed" else None,
                        reported + dt.timedelta(days=1) if outcome == "failed" else None,
                    ))  # fmt: skip
            if status == R.COMPLETED:
                for pathway in pathways:
                    self.loader.add(self.t_outcome, (
                        self._id(self.t_outcome), rid, pathway,
                        rng.choices(["improved", "no_change", "worse", "not_assessed"],
                                    weights=[60, 30, 5, 5] if outcome == "complied"
                                    else [15, 55, 20, 10])[0],
                    ))  # fmt: skip
                self._ref_event(rid, closed, worker, "completed", R.IN_PROGRESS, R.COMPLETED)
            elif status == R.WITHDRAWN:
                self._ref_event(rid, closed, officer, "withdrawn", R.IN_PROGRESS, R.WITHDRAWN,
                                "The case was closed.")  # fmt: skip

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
                records.add((offence, proven, _weighted(rng, CATEGORY_WEIGHTS, 1)[0]))
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
