"""A synthetic case from its offence to its outcome, as the workflow (or the historic import)
would have left it. Part of demo.synthetic's Builder; the draws are made in a fixed order, so
the same seed on the same day gives the same cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from cautions.models import CLOSED, CaseStatus
from cautions.rules import retention_review_date
from demo.synthetic.draws import aware, weighted
from demo.synthetic.reference import (
    CATEGORY_WEIGHTS,
    DESCRIPTIONS,
    IMPORTED_BEFORE,
    PATHWAY_CONDITION,
    PATHWAY_WEIGHTS,
    RULE_FAILURES,
    RULE_PASSES,
    VICTIM_CATEGORIES,
)
from hub.lib.dates import age_on

S = CaseStatus
# Statuses a case can stop at before it is authorised.
BEFORE_AUTHORISATION = (S.NOT_ELIGIBLE, S.DECLINED, S.ASSESSMENT, S.AWAITING_AUTHORISATION)


@dataclass
class Offence:
    id: int
    key: str  # its category's key
    category: object
    gravity: int
    created: dt.datetime
    domestic: bool


@dataclass
class Draft:
    """A case being made: its row, written last (with its report masks), and its staff."""

    id: int
    row: dict
    officer: int
    sergeant: int | None


@dataclass
class Caution:
    """When the caution was given and by when its conditions are due."""

    day: dt.date
    weeks: int
    deadline: dt.date
    signed_at: dt.datetime


class CaseSteps:
    """The case's steps, for Builder (demo.synthetic.histories), which holds the tables."""

    def case(self, pid, dob, district, day, officer) -> str:
        """One offence and its case; returns the reporting outcome or the pre-caution state."""
        rng = self.rng
        offence = self.offence(pid, district, day, officer)
        case_id = self._id(self.t_case)
        self.condition_bits, self.need_bits = [], []
        if day < IMPORTED_BEFORE:
            return self.imported_case(case_id, pid, offence.id, dob, day, offence.key)
        sergeant = rng.choice([s for s in self.staff.sergeants if s != officer] or [None])
        assessed_at = offence.created + dt.timedelta(hours=rng.randint(1, 48))
        status, refused, assessed = self.first_decision(offence, day)
        self._event(case_id, offence.created, officer, "case_started", "", S.ASSESSMENT)
        if assessed:  # every case past the first step has an eligibility assessment
            self.eligibility(case_id, officer, assessed_at, day, offence.gravity, refused)
            self._event(
                case_id, assessed_at, officer, "eligibility_assessed", S.ASSESSMENT,
                S.NOT_ELIGIBLE if refused else S.ASSESSMENT,
            )  # fmt: skip
        draft = Draft(case_id, self.case_row(case_id, pid, offence, day, officer, assessed_at),
                      officer, sergeant)  # fmt: skip
        if status in BEFORE_AUTHORISATION:
            return self.stopped_before_authorisation(draft, status, assessed_at)
        authorised_at = self.authorise(draft, offence.gravity, assessed_at)
        needs = self.needs(case_id, officer, assessed_at)
        draft.row["needs_recorded_at"] = assessed_at
        if status == S.AUTHORISED:
            draft.row.update(status=S.AUTHORISED, version=4, updated_at=authorised_at)
            self._add_case(draft.row)
            return status
        return self.cautioned(draft, dob, day, authorised_at, needs, offence.key)

    def offence(self, pid, district, day, officer) -> Offence:
        rng = self.rng
        key = weighted(rng, CATEGORY_WEIGHTS, 1)[0]
        category = self.categories[key]
        gravity = min(4, max(1, category.default_gravity + rng.choice([-1, 0, 0, 0, 0, 0, 0, 1])))
        offence_day = day - dt.timedelta(days=rng.randint(6, 40))
        offence_id = self._id(self.t_offence)
        created = aware(offence_day + dt.timedelta(days=1), rng)
        domestic = rng.random() < 0.02
        self.loader.add(self.t_offence, (
            offence_id, pid, category.pk, DESCRIPTIONS[key].format(n=rng.randint(8, 400)),
            offence_day, self.districts[district], gravity,
            "Aggravated by the circumstances." if gravity > category.default_gravity else "",
            category.mode_of_trial, domestic, rng.random() < 0.01, key in VICTIM_CATEGORIES,
            officer, created,
        ))  # fmt: skip
        return Offence(offence_id, key, category, gravity, created, domestic)

    def first_decision(self, offence: Offence, day) -> tuple[str, bool, bool]:
        """Where the case is heading (ACTIVE: decided later), whether it was refused, and
        whether it has been assessed yet."""
        rng = self.rng
        recent = (self.today - day).days
        # Refusals: gravity 4 and excluded types always; about 9% for other reasons.
        roll = rng.random()
        refused = (
            offence.gravity == 4 or offence.category.excluded or offence.domestic or roll < 0.09
        )
        if recent <= 10 and not refused and roll < 0.6:
            # In the pipeline before the caution is given.
            status = rng.choice([S.ASSESSMENT, S.AWAITING_AUTHORISATION, S.AUTHORISED])
        elif refused:
            status = S.NOT_ELIGIBLE
        elif roll < 0.11:
            status = S.DECLINED
        else:
            status = S.ACTIVE
        return status, refused, not (status == S.ASSESSMENT and roll < 0.3)

    def case_row(self, case_id, pid, offence: Offence, day, officer, assessed_at) -> dict:
        row = dict.fromkeys(self.t_case.columns)
        row.update(
            id=case_id, reference=f"CC-{day.year}-{case_id:06d}", person_id=pid,
            offence_id=offence.id, disposal_type="conditional_caution",
            source="import" if day.year < 2019 else "workflow", officer_id=officer,
            provider_report_is_compliance=self.rng.random() < 0.3, version=1,
            created_at=offence.created, updated_at=assessed_at, authorisation_reason="",
            prosecutor_authority_ref="", compliance_extension_reason="", closure_reason="",
            court_outcome_kind="", court_outcome="", prosecution_status="", withdrawal_kind="",
        )  # fmt: skip
        return row

    def stopped_before_authorisation(self, draft: Draft, status, assessed_at) -> str:
        row = draft.row
        row["status"] = status
        if status == S.NOT_ELIGIBLE:
            row["outcome_date"] = assessed_at.date()
            row["closure_reason"] = "Not eligible for a conditional caution."
        elif status == S.DECLINED:
            row["outcome_date"] = (assessed_at + dt.timedelta(days=1)).date()
            row["closure_reason"] = "Authorisation declined: prosecution preferred."
            row["authorised_by_id"] = None
            self._event(draft.id, assessed_at + dt.timedelta(days=1), draft.sergeant, "declined",
                        S.AWAITING_AUTHORISATION, S.DECLINED, "Prosecution preferred.")  # fmt: skip
        if row["outcome_date"]:
            row["retention_review_date"] = retention_review_date(row["outcome_date"])
        row["version"] = 2
        self._add_case(row)
        return status

    def authorise(self, draft: Draft, gravity, assessed_at) -> dt.datetime:
        authorised_at = assessed_at + dt.timedelta(hours=self.rng.randint(2, 30))
        draft.row.update(
            authorised_by_id=draft.sergeant, authorised_at=authorised_at,
            authorisation_reason="Gravity 3: conditions address the offending." if gravity == 3
            else "",
        )  # fmt: skip
        self._event(draft.id, authorised_at, draft.sergeant, "authorised",
                    S.AWAITING_AUTHORISATION, S.AUTHORISED)  # fmt: skip
        return authorised_at

    def cautioned(self, draft: Draft, dob, day, authorised_at, needs, key) -> str:
        """The caution given, its conditions and referrals, and where it stands today."""
        caution = self.administer(draft, dob, day, authorised_at)
        # The outcome: in progress while the deadline is ahead, else the published shares.
        if caution.deadline >= self.today:
            outcome = "breach" if self.rng.random() < 0.08 else "active"
        else:
            o = self.rng.random()
            # 81.5% complied, 15.5% failed, 3% withdrawn: complied / (complied + failed) = 84%.
            outcome = "complied" if o < 0.815 else "withdrawn" if o < 0.845 else "failed"
        conditions = self.conditions(
            draft.id, draft.officer, caution.day, caution.deadline, needs, outcome, key
        )
        self.referrals(draft.id, draft.officer, caution.day, caution.deadline, conditions, outcome)
        self.settle(draft, caution, outcome, conditions, day)
        row = draft.row
        if row["status"] in CLOSED:
            row["retention_review_date"] = retention_review_date(row["outcome_date"])
            row["updated_at"] = aware(row["outcome_date"], self.rng)
        else:
            row["updated_at"] = caution.signed_at
        row["version"] = 6
        self._add_case(row)
        return "failed" if outcome == "failed" else row["status"]

    def administer(self, draft: Draft, dob, day, authorised_at) -> Caution:
        rng, today, officer = self.rng, self.today, draft.officer
        caution_day = max(day, authorised_at.date())
        if caution_day > today:
            caution_day, authorised_at = today, aware(today, rng, 8, 9)
        weeks = 16 if rng.random() < 0.85 else rng.choice([8, 12, 18, 20])
        deadline = caution_day + dt.timedelta(weeks=weeks)
        draft.row.update(
            caution_date=caution_day, administered_by_id=officer,
            age_at_caution=max(18, age_on(dob, caution_day)), compliance_period_weeks=weeks,
            compliance_extension_reason="Treatment place starts late." if weeks > 16 else "",
            compliance_deadline=deadline, prosecution_status="deferred", crime_outcome=3,
        )  # fmt: skip
        signed_at = aware(caution_day, rng)
        self.victim(draft.id, officer, signed_at, draft.row)
        self.loader.add(self.t_admin, (
            self._id(self.t_admin), draft.id, "interview", True, True, True, True, True,
            signed_at, "Parkside Police Station, Cambridge", officer, "",
        ))  # fmt: skip
        self._event(draft.id, signed_at, officer, "caution_administered", S.AUTHORISED, S.ACTIVE)
        return Caution(caution_day, weeks, deadline, signed_at)

    def settle(self, draft: Draft, caution: Caution, outcome, conditions, day) -> None:
        row, officer = draft.row, draft.officer
        if outcome == "complied":
            done = max([cd["complied_on"] for cd in conditions] + [caution.day])
            row.update(status=S.COMPLIED, outcome_date=done, prosecution_status="not_pursued",
                       closure_reason="All conditions complied with.")  # fmt: skip
            self._event(draft.id, aware(done, self.rng), officer, "caution_completed", S.ACTIVE,
                        S.COMPLIED)  # fmt: skip
        elif outcome == "withdrawn":
            end = caution.day + dt.timedelta(days=self.rng.randint(1, caution.weeks * 7))
            row.update(status=S.WITHDRAWN, outcome_date=end, withdrawal_kind="error",
                       closure_reason="Recorded against the wrong person.",
                       prosecution_status="not_pursued")  # fmt: skip
            self._event(draft.id, aware(end, self.rng), officer, "withdrawn", S.ACTIVE,
                        S.WITHDRAWN)  # fmt: skip
        elif outcome in ("failed", "breach"):
            self.breach(draft, caution, outcome, conditions, day)
        else:
            row.update(status=S.ACTIVE)

    def breach(self, draft: Draft, caution: Caution, outcome, conditions, day) -> None:
        rng, today = self.rng, self.today
        failed = next((cd for cd in conditions if cd["status"] == "not_complied"), None)
        recorded = min(today, caution.deadline + dt.timedelta(days=rng.randint(0, 10)))
        if outcome == "breach":
            recorded = min(today, caution.day + dt.timedelta(days=rng.randint(14, 60)))
        breach_at = aware(recorded, rng)
        # Historic imports often record "failed" without the breach decision behind it.
        historic = outcome == "failed" and day.year < 2019 and rng.random() < 0.5
        decision = ""
        if outcome == "failed" and not historic:
            decision = rng.choice(["resume_prosecution", "resume_prosecution",
                                   "no_further_action"])  # fmt: skip
        decided_at = None
        if decision:
            decided_at = min(breach_at + dt.timedelta(days=rng.randint(1, 14)),
                             aware(today, rng, 8, 9))  # fmt: skip
            decided_at = max(decided_at, breach_at)
        if not historic:
            self.loader.add(self.t_breach, (
                self._id(self.t_breach), draft.id, failed["id"] if failed else None,
                draft.officer, breach_at, "Did not attend the agreed sessions.", "",
                False if decision else None, "No reasonable excuse given." if decision else "",
                decision, draft.sergeant if decision else None, decided_at,
                "Failure without reasonable excuse." if decision else "",
            ))  # fmt: skip
            self._event(draft.id, breach_at, draft.officer, "breach_recorded", S.ACTIVE, S.BREACH)
        if outcome == "breach":
            draft.row.update(status=S.BREACH)
        else:
            self.breach_decided(draft, decision, decided_at, recorded)

    def breach_decided(self, draft: Draft, decision, decided_at, recorded) -> None:
        row, rng = draft.row, self.rng
        if decision == "resume_prosecution":
            charge = decided_at.date()
            row.update(status=S.PROSECUTION_RESUMED, outcome_date=charge, charge_date=charge,
                       prosecution_status="resumed", crime_outcome=1,
                       closure_reason="Failed without reasonable excuse: charged.")  # fmt: skip
            if rng.random() < 0.7:
                row.update(
                    court_outcome_kind="convicted",
                    court_outcome=rng.choice(["Fine", "Community order", "Discharge"]),
                    court_outcome_date=charge + dt.timedelta(days=rng.randint(20, 90)),
                )
            self._event(draft.id, decided_at, draft.sergeant, "breach_decided", S.BREACH,
                        S.PROSECUTION_RESUMED)  # fmt: skip
        elif decision == "no_further_action":
            row.update(
                status=S.FAILED_NO_FURTHER_ACTION,
                outcome_date=decided_at.date(),
                prosecution_status="not_pursued",
                closure_reason="Failed: prosecution not in the public interest.",
            )
            self._event(draft.id, decided_at, draft.sergeant, "breach_decided", S.BREACH,
                        S.FAILED_NO_FURTHER_ACTION)  # fmt: skip
        else:
            row.update(status=S.FAILED, outcome_date=recorded,
                       closure_reason="Failed to comply (historic record).")  # fmt: skip

    def imported_case(self, case_id, pid, offence_id, dob, day, key) -> str:
        """A historic case brought in by the case import (reporting.services): a caution with
        its outcome and conditions, and nothing of the workflow (no eligibility record, needs,
        referrals or timeline), as the import itself creates it."""
        rng = self.rng
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
            closure_reason="Imported historic case", court_outcome_kind="", court_outcome="",
            crime_outcome=3,
            retention_review_date=retention_review_date(outcome_day), prosecution_status="",
            withdrawal_kind="",
        )  # fmt: skip
        condition_status = {S.COMPLIED: "complied", S.FAILED: "not_complied"}.get(status, "ended")
        keys = {PATHWAY_CONDITION[weighted(rng, PATHWAY_WEIGHTS, 1)[0]]}
        if rng.random() < 0.4:
            keys.add(rng.choice(["apology_letter", "compensation", "repair_damage"]))
        for key_ in sorted(keys):
            ctype = self.ctypes[key_]
            self.condition_bits.append(ctype.report_bit)
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
            key = weighted(rng, PATHWAY_WEIGHTS, 1)[0]
            if key not in chosen:
                chosen.append(key)
        for key in chosen:
            self.need_bits.append(self.pathway_report_bits[key])
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
