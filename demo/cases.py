"""Demo cases in every workflow status, built through the services so the timelines are real.

Idempotent: each demo case has a fixed reference (DEMO-…) and is skipped when it exists. Called
by `manage.py seed_demo` after demo.core.
"""

import datetime as dt

from django.utils import timezone

from cautions import services
from cautions.models import Case
from hub.models import ConditionType, NeedPathway, Offence, OffenceCategory

ANSWERS = {
    "admitted": True,
    "admission_method": "interview",
    "sufficient_evidence": True,
    "public_interest": True,
    "previous_history_count": 0,
}

# Extra offences for the statuses the hub's demo offences do not cover: pnc, category, days ago.
EXTRA_OFFENCES = [
    ("12/0100002E", "harassment", 25, "Repeated unwanted messages to a former colleague."),
    ("14/0100005N", "criminal_damage", 60, "Kicked a bus shelter panel, cracking it."),
]


def _type(key):
    return ConditionType.objects.get(key=key)


def _signed(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(11, 0)))


def _prepare(case, ctx, *, victim=False, needs=("accommodation",)):
    officer = ctx.users["officer"]
    services.eligibility_assess(
        case=case, actor=officer, planned_caution_date=ctx.today, answers=ANSWERS
    )
    pathways = {p.key: p for p in NeedPathway.objects.filter(key__in=needs)}
    services.needs_record(
        case=case,
        actor=officer,
        needs=[{"pathway": p, "severity": "medium", "notes": ""} for p in pathways.values()],
    )
    if victim:
        services.victim_views_record(
            case=case,
            actor=officer,
            kind="views_obtained",
            views="Wants the damage put right and an apology.",
            requested_action="A letter of apology",
            restorative_justice_consent=True,
        )
    else:
        services.victim_views_record(case=case, actor=officer, kind="no_victim")


def _propose(case, ctx, conditions=None):
    """The officer proposes the conditions (by default a letter of apology in four weeks)."""
    conditions = conditions or [
        _spec(
            "apology_letter",
            "Write a letter of apology to the victim.",
            ctx.today + dt.timedelta(weeks=4),
        )
    ]
    services.conditions_propose(
        case=case,
        actor=ctx.users["officer"],
        conditions=conditions,
        victim_action_included=True,
    )


def _authorise(case, ctx, conditions=None):
    """Propose the conditions, send them for authorisation, and the sergeant authorises them."""
    _propose(case, ctx, conditions)
    services.case_submit_for_authorisation(case=case, actor=ctx.users["officer"])
    services.case_authorise(
        case=case,
        actor=ctx.users["sergeant"],
        reason="Low-level first offence with clear needs.",
    )


def _administer(case, ctx, caution_date, conditions):
    _authorise(case, ctx, conditions)
    services.caution_administer(
        case=case,
        actor=ctx.users["officer"],
        caution_date=caution_date,
        signed_at=_signed(caution_date),
        signed_place="Thorpe Wood Police Station, Peterborough",
        admission_method="interview",
        admitted=True,
        effect_explained=True,
        warned_of_prosecution=True,
        consented=True,
        document_signed=True,
        conditions=conditions,
        time_limit_acknowledged=True,
    )


def _spec(key, description, due, provider=None, **kwargs):
    return services.ConditionSpec(
        condition_type=_type(key),
        description=description,
        due_date=due,
        provider=provider,
        **kwargs,
    )


def seed(ctx) -> None:
    today = ctx.today
    officer, sergeant = ctx.users["officer"], ctx.users["sergeant"]
    provider = ctx.organisations.get("Outside Links (HMP Peterborough)")
    second = ctx.organisations.get("Fenland Wellbeing and Recovery Service")
    offences = list(ctx.offences)
    for pnc, key, days, description in EXTRA_OFFENCES:
        person = ctx.people[pnc]
        category = OffenceCategory.objects.get(key=key)
        offence, _ = Offence.objects.get_or_create(
            person=person,
            category=category,
            description=description,
            defaults={
                "offence_date": today - dt.timedelta(days=days),
                "district": person.district,
                "gravity_score": category.default_gravity,
                "mode_of_trial": category.mode_of_trial,
                "victim_present": True,
                "recorded_by": officer,
            },
        )
        offences.append(offence)

    def start(reference: str, offence: Offence) -> Case | None:
        if Case.objects.filter(reference=reference).exists():
            return None
        if Case.objects.filter(offence=offence).exists():
            return None
        case = services.case_start(offence=offence, actor=officer)
        Case.objects.filter(pk=case.pk).update(reference=reference)
        case.reference = reference
        return case

    plans = [
        ("DEMO-ACTIVE", 0, _seed_active),
        ("DEMO-BREACH", 1, _seed_breach),
        ("DEMO-ASSESSMENT", 2, _seed_assessment),
        ("DEMO-COMPLIED", 3, _seed_complied),
        ("DEMO-AWAITING", 4, _seed_awaiting),
        ("DEMO-AUTHORISED", 5, _seed_authorised),
        ("DEMO-RESUMED", 6, _seed_resumed),
        ("DEMO-NOT-ELIGIBLE", 7, _seed_not_eligible),
        ("DEMO-WITHDRAWN", 8, _seed_withdrawn),
        ("DEMO-DECLINED", 9, _seed_declined),
        ("DEMO-FAILED-NFA", 10, _seed_failed_nfa),
    ]
    for reference, index, build in plans:
        if index >= len(offences):
            continue
        case = start(reference, offences[index])
        if case is not None:
            build(case, ctx, offences[index], provider=provider, second=second, sergeant=sergeant)


def _seed_assessment(case, ctx, offence, **_):
    services.eligibility_assess(
        case=case, actor=ctx.users["officer"], planned_caution_date=ctx.today, answers=ANSWERS
    )


def _seed_awaiting(case, ctx, offence, **_):
    _prepare(case, ctx, needs=("drugs_alcohol",))
    _propose(case, ctx)
    services.case_submit_for_authorisation(case=case, actor=ctx.users["officer"])


def _seed_authorised(case, ctx, offence, **_):
    _prepare(case, ctx, needs=("attitudes_thinking_behaviour",))
    _authorise(case, ctx)


def _seed_active(case, ctx, offence, *, provider, **_):
    _prepare(case, ctx)
    caution = max(offence.offence_date, ctx.today - dt.timedelta(days=10))
    _administer(
        case,
        ctx,
        caution,
        [
            _spec(
                "housing",
                "Attend four housing support sessions.",
                ctx.today + dt.timedelta(days=5),
                provider,
            ),
            _spec(
                "apology_letter",
                "Write a letter of apology to the store manager.",
                ctx.today + dt.timedelta(days=30),
            ),
        ],
    )


def _seed_breach(case, ctx, offence, *, second, **_):
    _prepare(case, ctx, victim=True, needs=("health",))
    caution = offence.offence_date + dt.timedelta(days=4)
    _administer(
        case,
        ctx,
        caution,
        [
            _spec(
                "repair_damage",
                "Pay for and fit a new fence panel.",
                ctx.today - dt.timedelta(days=3),
            ),
            _spec(
                "mental_health",
                "Attend a wellbeing assessment.",
                ctx.today + dt.timedelta(days=20),
                second,
            ),
        ],
    )
    condition = case.conditions.get(condition_type__key="repair_damage")
    services.condition_mark_not_complied(
        condition=condition,
        actor=ctx.users["officer"],
        details="The fence panel was not replaced by the due date.",
        excuse_given="Says he could not afford the panel.",
    )


def _seed_complied(case, ctx, offence, **_):
    _prepare(case, ctx, victim=True, needs=("finance_benefit_debt",))
    caution = offence.offence_date + dt.timedelta(days=5)
    _administer(
        case,
        ctx,
        caution,
        [
            _spec(
                "apology_letter",
                "Write a letter of apology to the bicycle's owner.",
                caution + dt.timedelta(days=21),
            )
        ],
    )
    services.condition_mark_complied(
        condition=case.conditions.get(),
        actor=ctx.users["officer"],
        complied_on=caution + dt.timedelta(days=14),
        evidence="Letter received and passed to the victim.",
    )


def _seed_resumed(case, ctx, offence, *, sergeant, **_):
    _prepare(case, ctx, victim=True, needs=("attitudes_thinking_behaviour",))
    caution = offence.offence_date + dt.timedelta(days=7)
    _administer(
        case,
        ctx,
        caution,
        [
            _spec(
                "apology_letter",
                "Write a letter of apology to the man he pushed.",
                caution + dt.timedelta(days=28),
            )
        ],
    )
    breach = services.condition_mark_not_complied(
        condition=case.conditions.get(),
        actor=ctx.users["officer"],
        details="No letter written; did not answer calls.",
    )
    services.breach_decide(
        breach=breach,
        actor=sergeant,
        decision="resume_prosecution",
        reasonable_excuse=False,
        excuse_assessment="No excuse offered.",
        reason="No reasonable excuse: prosecute the original offence.",
        charge_date=ctx.today - dt.timedelta(days=5),
    )


def _seed_not_eligible(case, ctx, offence, **_):
    # The offence is more than 3 months old: the checklist fails it and closes the case.
    services.eligibility_assess(
        case=case, actor=ctx.users["officer"], planned_caution_date=ctx.today, answers=ANSWERS
    )


def _seed_withdrawn(case, ctx, offence, **_):
    services.case_withdraw(
        case=case,
        actor=ctx.users["officer"],
        kind="error",
        reason="Started against the wrong offence.",
    )


def _seed_declined(case, ctx, offence, *, sergeant, **_):
    _prepare(case, ctx, victim=True, needs=("attitudes_thinking_behaviour",))
    _propose(case, ctx)
    services.case_submit_for_authorisation(case=case, actor=ctx.users["officer"])
    services.case_decline(
        case=case,
        actor=sergeant,
        reason="Repeated conduct towards the victim: charge and seek a restraining order.",
    )


def _seed_failed_nfa(case, ctx, offence, *, sergeant, **_):
    _prepare(case, ctx, victim=True, needs=("drugs_alcohol",))
    caution = offence.offence_date + dt.timedelta(days=5)
    _administer(
        case,
        ctx,
        caution,
        [
            _spec(
                "compensation",
                "Pay £40 towards the repair.",
                caution + dt.timedelta(days=30),
                amount=40,
            )
        ],
    )
    breach = services.condition_mark_not_complied(
        condition=case.conditions.get(), actor=ctx.users["officer"], details="Paid nothing."
    )
    services.breach_decide(
        breach=breach,
        actor=sergeant,
        decision="no_further_action",
        reasonable_excuse=True,
        excuse_assessment="Lost his job the week after the caution.",
        reason="Reasonable excuse; not in the public interest to prosecute.",
    )
