"""A synthetic caution's conditions and its referrals to support providers: sessions,
progress reports and outcomes. Part of demo.synthetic's Builder; the draws are made in a fixed
order, so the same seed on the same day gives the same data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from demo.synthetic.draws import aware
from demo.synthetic.reference import PATHWAY_CONDITION, VICTIM_CATEGORIES
from referrals.models import ReferralStatus

R = ReferralStatus
MAXIMUM_PENALTY = {"summary": 50, "either_way": 100, "indictable_only": 150}


@dataclass
class Support:
    """A referral being made: one provider's conditions of a case."""

    id: int
    conditions: list[dict]
    officer: int
    worker: int
    outcome: str  # the case's
    created: dt.datetime
    accepted: dt.datetime
    status: str = R.IN_PROGRESS
    closed: dt.datetime | None = None
    assigned: int | None = None


class SupportSteps:
    """Conditions and referrals, for Builder (demo.synthetic.histories)."""

    # ------------------------------------------------------------------ conditions

    def conditions(self, case_id, officer, caution_day, deadline, needs, outcome, category):
        rng = self.rng
        keys = [PATHWAY_CONDITION[n] for n in needs[: rng.choice([1, 1, 2])]]
        if category in VICTIM_CATEGORIES and rng.random() < 0.5:
            keys.append(rng.choice(["apology_letter", "compensation", "repair_damage"]))
        if rng.random() < 0.15:
            keys.append(rng.choice(["unpaid_work", "financial_penalty"]))
        if rng.random() < 0.05:
            keys.append("exclusion_zone")
        fail_index = rng.randrange(len(keys)) if outcome in ("failed", "breach") else -1
        cap = MAXIMUM_PENALTY[self.categories[category].mode_of_trial]
        return [
            self.condition(
                case_id, officer, caution_day, deadline, key, outcome, index == fail_index, cap
            )
            for index, key in enumerate(keys)
        ]

    def condition(self, case_id, officer, caution_day, deadline, key, outcome, failing, cap):
        rng, today = self.rng, self.today
        ctype = self.ctypes[key]
        due = min(deadline, caution_day + dt.timedelta(days=rng.randint(21, 112)))
        provider, amount, hours = self.condition_terms(ctype, key, cap)
        status, complied_on = self.condition_status(outcome, failing, due, caution_day)
        overdue = due + dt.timedelta(days=1) if status == "pending" and due < today else None
        marked_at = aware(complied_on or min(due, today), rng) if status != "pending" else None
        cid = self._id(self.t_condition)
        self.condition_bits.append(ctype.report_bit)
        self.loader.add(self.t_condition, (
            cid, case_id, ctype.pk, f"{ctype.label} as agreed with the person.", due,
            provider, amount, hours, status, complied_on,
            "Confirmed by the provider." if status == "complied" else "",
            officer if marked_at else None, marked_at, overdue, 2 if marked_at else 1,
            aware(caution_day, rng),
        ))  # fmt: skip
        if status == "complied":
            self._event(case_id, marked_at, officer, "condition_complied", "active", "active")
        return {"id": cid, "key": key, "provider": provider, "due": due, "status": status,
                "complied_on": complied_on or caution_day,
                "pathway": ctype.pathway_id}  # fmt: skip

    def condition_terms(self, ctype, key, cap) -> tuple:
        """The condition's provider (if it needs one), amount and hours."""
        rng = self.rng
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
        return provider, amount, hours

    def condition_status(self, outcome, failing, due, caution_day) -> tuple[str, dt.date | None]:
        """The condition's status today and the day it was complied with, if it was."""
        rng, today = self.rng, self.today
        if outcome == "complied" or (outcome in ("failed", "breach") and not failing):
            complied_on = min(due, today) - dt.timedelta(days=rng.randint(0, 10))
            complied_on = max(complied_on, caution_day)
            return ("complied", complied_on) if complied_on <= today else ("pending", None)
        if outcome in ("failed", "breach"):
            return ("not_complied" if outcome == "failed" or due < today else "pending"), None
        if outcome == "withdrawn":
            return "ended", None
        if outcome == "active" and due < today - dt.timedelta(days=14):
            complied_on = due - dt.timedelta(days=rng.randint(0, 7))
            return "complied", max(complied_on, caution_day)
        return "pending", None

    # ------------------------------------------------------------------ referrals

    def referrals(self, case_id, officer, caution_day, deadline, conditions, outcome) -> None:
        by_provider: dict[int, list[dict]] = {}
        for cd in conditions:
            if cd["provider"]:
                by_provider.setdefault(cd["provider"], []).append(cd)
        for provider, conds in by_provider.items():
            self.referral(case_id, officer, caution_day, deadline, provider, conds, outcome)

    def referral(self, case_id, officer, caution_day, deadline, provider, conds, outcome):
        rng, today = self.rng, self.today
        rid = self._id(self.t_referral)
        created = aware(caution_day, rng)
        worker = rng.choice(self.staff.caseworkers[provider])
        accepted = created + dt.timedelta(days=rng.randint(1, 5))
        ref = Support(rid, conds, officer, worker, outcome, created, accepted)
        closing, withdrawal = self.referral_status(ref, caution_day, deadline)
        if ref.accepted.date() > today:
            ref.accepted = created
        if ref.status in (R.ACCEPTED, R.IN_PROGRESS, R.COMPLETED):
            ref.assigned = worker
        if ref.status == R.WITHDRAWN and rng.random() < 0.8:
            ref.assigned = worker
        self.loader.add(self.t_referral, (
            rid, case_id, provider, ref.status, "conditions", "", max(cd["due"] for cd in conds),
            officer, ref.assigned, ref.accepted if ref.assigned else None, "", withdrawal,
            closing, ref.closed, created, ref.closed or ref.accepted,
        ))  # fmt: skip
        pathways = sorted({cd["pathway"] for cd in conds if cd["pathway"]})
        for pathway in pathways:
            self.loader.add(self.t_ref_pathway, (self._id(self.t_ref_pathway), rid, pathway))
        self._ref_event(rid, created, officer, "created", "", R.NEW)
        if ref.assigned:
            self._ref_event(rid, ref.accepted, worker, "accepted", R.NEW, R.ACCEPTED)
        if ref.status in (R.IN_PROGRESS, R.COMPLETED, R.WITHDRAWN) and ref.assigned:
            self.sessions(ref)
        self.progress_reports(ref)
        self.referral_closed(ref, pathways)

    def referral_status(self, ref: Support, caution_day, deadline) -> tuple[str, str]:
        """Sets the referral's status (and when it closed); returns its closing note and
        withdrawal reason."""
        rng, today, outcome = self.rng, self.today, ref.outcome
        if outcome == "complied" or (outcome == "failed" and rng.random() < 0.5):
            ref.status = R.COMPLETED
            closed = aware(min(today, max(cd["complied_on"] for cd in ref.conditions)), rng)
            ref.closed = max(closed, ref.accepted)
            closing = "Support ended: engaged well." if outcome == "complied" else (
                "Support ended: did not engage.")  # fmt: skip
            return closing, ""
        if outcome in ("withdrawn", "failed"):
            ref.status, ref.closed = R.WITHDRAWN, aware(min(today, deadline), rng)
            return "", "The case was closed."
        if (today - caution_day).days < 4:
            ref.status = R.NEW
        elif rng.random() < 0.1:
            ref.status = R.ACCEPTED
        return "", ""

    def sessions(self, ref: Support) -> None:
        """Sessions from acceptance to the end (or today), about fortnightly."""
        rng, today = self.rng, self.today
        end = ref.closed or aware(today, rng)
        at = ref.accepted + dt.timedelta(days=rng.randint(2, 7))
        engaged = ref.outcome != "failed"
        while at < end and at.date() <= today:
            attendance = rng.choices(
                ["attended", "late", "did_not_attend", "cancelled_by_provider", "rescheduled"],
                weights=[78, 8, 8, 3, 3] if engaged else [40, 8, 45, 4, 3],
            )[0]
            present = attendance in ("attended", "late")
            self.loader.add(self.t_session, (
                self._id(self.t_session), ref.id, at,
                rng.choice([30, 45, 60, 90]) if present else None,
                "assessment" if at - ref.accepted < dt.timedelta(days=8)
                else rng.choice(["one_to_one", "one_to_one", "group", "phone"]),
                attendance, attendance == "did_not_attend" and rng.random() < 0.3,
                "Discussed progress and next steps." if present else "",
                "Next session booked." if present else "", ref.worker, at, at,
            ))  # fmt: skip
            self._ref_event(ref.id, at, ref.worker, "session_recorded", R.IN_PROGRESS,
                            R.IN_PROGRESS)  # fmt: skip
            at += dt.timedelta(days=rng.randint(7, 21))

    def progress_reports(self, ref: Support) -> None:
        rng, today, failed = self.rng, self.today, ref.outcome == "failed"
        for cd in ref.conditions:
            if cd["status"] == "complied":
                self.loader.add(self.t_progress, (
                    self._id(self.t_progress), ref.id, cd["id"], "complied", cd["complied_on"],
                    "Attended every session and completed the work.", False, ref.worker,
                    aware(cd["complied_on"], rng), None, None,
                ))  # fmt: skip
            elif cd["status"] == "not_complied" or (
                ref.outcome == "breach" and cd["status"] == "pending"
            ):
                reported = aware(min(today, cd["due"]), rng)
                self.loader.add(self.t_progress, (
                    self._id(self.t_progress), ref.id, cd["id"], "not_engaging", None,
                    "Missed the last three sessions without a reason.", False, ref.worker,
                    reported, ref.officer if failed else None,
                    reported + dt.timedelta(days=1) if failed else None,
                ))  # fmt: skip

    def referral_closed(self, ref: Support, pathways: list[int]) -> None:
        if ref.status == R.COMPLETED:
            for pathway in pathways:
                self.loader.add(self.t_outcome, (
                    self._id(self.t_outcome), ref.id, pathway,
                    self.rng.choices(["improved", "no_change", "worse", "not_assessed"],
                                     weights=[60, 30, 5, 5] if ref.outcome == "complied"
                                     else [15, 55, 20, 10])[0],
                ))  # fmt: skip
            self._ref_event(ref.id, ref.closed, ref.worker, "completed", R.IN_PROGRESS,
                            R.COMPLETED)  # fmt: skip
        elif ref.status == R.WITHDRAWN:
            self._ref_event(ref.id, ref.closed, ref.officer, "withdrawn", R.IN_PROGRESS,
                            R.WITHDRAWN, "The case was closed.")  # fmt: skip
