"""Demo referrals: a realistic caseload for each demo caseworker.

Runs after demo.core and demo.cases inside `manage.py seed_demo`. It first syncs the
referrals of every running caution (so demo cases made by the cautions app get theirs), then
adds its own administered cautions with provider conditions (found by reference before being
created) and walks each one's referral to a different state through the services, with
sessions in every attendance state. A referral already moved on is left alone, so running it
again changes nothing.
"""

import datetime as dt

from django.utils import timezone

from cautions.models import Administration, Case, Condition, NeedAssessment
from demo.core import OUTSIDE_LINKS, SECOND_PROVIDER
from hub.models import ConditionType, District, NeedPathway, Offence, OffenceCategory, Person
from referrals import services
from referrals.models import Referral

# reference, org, (first, last, dob, sex, ethnicity, pnc, district, address, phone),
# (offence category, days ago, description), [condition type keys], scenario
DEMO_CASES = [
    (
        "DEMO-REF-01",
        OUTSIDE_LINKS,
        (
            "Shane",
            "Doyle",
            dt.date(1991, 4, 2),
            "male",
            "W1",
            "13/0200001P",
            "Peterborough",
            "7 Gladstone Street, Peterborough PE1 2BN",
            "07700 900201",
        ),
        ("shoplifting", 9, "Took meat worth £60 from a supermarket."),
        ["housing", "drugs_alcohol"],
        "new",
    ),
    (
        "DEMO-REF-02",
        OUTSIDE_LINKS,
        (
            "Chloe",
            "Barnes",
            dt.date(1997, 10, 21),
            "female",
            "W1",
            "17/0200002B",
            "Peterborough",
            "31 Eastfield Road, Peterborough PE1 4AP",
            "07700 900202",
        ),
        ("theft", 25, "Took a purse from a handbag in a café."),
        ["debt"],
        "accepted",
    ),
    (
        "DEMO-REF-03",
        OUTSIDE_LINKS,
        (
            "Kyle",
            "Foster",
            dt.date(1986, 7, 14),
            "male",
            "W9",
            "08/0200003Q",
            "Fenland",
            "Flat 2, 14 Bridge Street, Wisbech PE13 1AF",
            "07700 900203",
        ),
        ("criminal_damage", 40, "Kicked in a bus shelter panel."),
        ["employment_training", "anger_management"],
        "in_progress",
    ),
    (
        "DEMO-REF-04",
        OUTSIDE_LINKS,
        (
            "Paul",
            "Nowak",
            dt.date(1983, 3, 9),
            "male",
            "W9",
            "06/0200004L",
            "Peterborough",
            "88 Lincoln Road, Peterborough PE1 2SN",
            "07700 900204",
        ),
        ("drunk_disorderly", 50, "Drunk and abusive outside a nightclub."),
        ["drugs_alcohol"],
        "not_engaging",
    ),
    (
        "DEMO-REF-05",
        OUTSIDE_LINKS,
        (
            "Leanne",
            "Hart",
            dt.date(1993, 12, 30),
            "female",
            "W1",
            "14/0200005J",
            "Huntingdonshire",
            "5 Priory Lane, St Neots PE19 2BH",
            "07700 900205",
        ),
        ("shoplifting", 90, "Took baby formula worth £38 from a chemist."),
        ["housing"],
        "completed",
    ),
    (
        "DEMO-REF-06",
        OUTSIDE_LINKS,
        (
            "Dean",
            "Mills",
            dt.date(1979, 5, 5),
            "male",
            "B2",
            "05/0200006Y",
            "Cambridge",
            "12 Coldhams Lane, Cambridge CB1 3EW",
            "07700 900206",
        ),
        ("public_order", 15, "Threatening words towards a neighbour."),
        ["family_support"],
        "returned",
    ),
    (
        "DEMO-REF-07",
        SECOND_PROVIDER,
        (
            "Megan",
            "Clarke",
            dt.date(1999, 2, 11),
            "female",
            "W1",
            "19/0200007M",
            "Fenland",
            "3 Elm Road, March PE15 8NN",
            "07700 900207",
        ),
        ("drugs_possession", 12, "Found with a small amount of cocaine."),
        ["drugs_alcohol", "mental_health"],
        "new",
    ),
    (
        "DEMO-REF-08",
        SECOND_PROVIDER,
        (
            "Tyler",
            "Webb",
            dt.date(2002, 8, 27),
            "male",
            "M1",
            "20/0200008D",
            "Fenland",
            "21 High Street, Chatteris PE16 6BG",
            "07700 900208",
        ),
        ("minor_assault", 35, "Punched a man during an argument in a pub."),
        ["anger_management"],
        "in_progress",
    ),
    (
        "DEMO-REF-09",
        SECOND_PROVIDER,
        (
            "Gemma",
            "Lowe",
            dt.date(1988, 1, 17),
            "female",
            "W1",
            "11/0200009T",
            "Fenland",
            "9 Station Road, Whittlesey PE7 1UE",
            "07700 900209",
        ),
        ("theft", 45, "Took cash from her employer's till."),
        ["debt", "mental_health"],
        "not_engaging",
    ),
    (
        "DEMO-REF-10",
        SECOND_PROVIDER,
        (
            "Connor",
            "Reid",
            dt.date(1995, 6, 3),
            "male",
            "W2",
            "15/0200010E",
            "Fenland",
            "40 Norwich Road, Wisbech PE13 3UN",
            "07700 900210",
        ),
        ("drunk_disorderly", 100, "Drunk and shouting in a town centre."),
        ["drugs_alcohol"],
        "completed",
    ),
]

SESSION_NOTES = {
    "attended": "Went through the support plan together. Engaged well and asked good questions.",
    "late": "Arrived 20 minutes late (missed the bus). Shorter session on budgeting.",
    "did_not_attend": "Did not arrive. Two calls unanswered; text message sent.",
    "cancelled_by_provider": "Cancelled: caseworker off sick. New date offered by phone.",
    "rescheduled": "Asked to move the session because of a job interview.",
}


def _session(referral, actor, days_ago, attendance, kind="one_to_one", reason_ok=False):
    present = attendance in ("attended", "late")
    occurred = timezone.now().replace(hour=10, minute=30, second=0, microsecond=0)
    return services.session_record(
        referral=referral,
        actor=actor,
        data={
            "occurred_at": occurred - dt.timedelta(days=days_ago),
            "duration_minutes": 45 if present else None,
            "kind": kind,
            "attendance": attendance,
            "absence_reason_accepted": reason_ok,
            "notes": SESSION_NOTES[attendance]
            + (" Reason accepted: hospital appointment." if reason_ok else ""),
            "next_steps": "Book the next appointment." if present else "",
            "pathways": list(referral.pathways.all()) if present else [],
        },
    )


def _create_case(ctx, reference, person_data, offence_data, condition_keys, provider):
    case = Case.objects.filter(reference=reference).first()
    if case is not None:
        return case
    first, last, dob, sex, eth, pnc, district, address, phone = person_data
    person, _ = Person.objects.get_or_create(
        pnc_id=pnc,
        defaults={
            "first_name": first,
            "last_name": last,
            "date_of_birth": dob,
            "sex": sex,
            "ethnicity": eth,
            "district": District.objects.get(name=district),
            "address": address,
            "phone": phone,
            "created_by": ctx.users["officer"],
        },
    )
    category_key, days_ago, description = offence_data
    category = OffenceCategory.objects.get(key=category_key)
    offence_date = ctx.today - dt.timedelta(days=days_ago)
    offence = Offence.objects.create(
        person=person,
        category=category,
        description=description,
        offence_date=offence_date,
        district=person.district,
        gravity_score=category.default_gravity,
        mode_of_trial=category.mode_of_trial,
        recorded_by=ctx.users["officer"],
    )
    caution_date = min(offence_date + dt.timedelta(days=7), ctx.today)
    age = (
        caution_date.year
        - dob.year
        - ((caution_date.month, caution_date.day) < (dob.month, dob.day))
    )
    officer, sergeant = ctx.users["officer"], ctx.users["sergeant"]
    case = Case.objects.create(
        reference=reference,
        person=person,
        offence=offence,
        status=Case.Status.ACTIVE,
        officer=officer,
        authorised_by=sergeant,
        authorised_at=timezone.now() - dt.timedelta(days=(ctx.today - caution_date).days + 1),
        authorisation_reason="Low-level offence, admitted; needs can be met by support.",
        caution_date=caution_date,
        administered_by=officer,
        age_at_caution=age,
        compliance_period_weeks=16,
        compliance_deadline=caution_date + dt.timedelta(weeks=16),
        prosecution_status="deferred",
        needs_recorded_at=timezone.now(),
    )
    Administration.objects.create(
        case=case,
        admission_method="interview",
        admitted=True,
        effect_explained=True,
        warned_of_prosecution=True,
        consented=True,
        document_signed=True,
        signed_at=timezone.now() - dt.timedelta(days=(ctx.today - caution_date).days),
        signed_place="Thorpe Wood Police Station",
        administered_by=officer,
    )
    for i, key in enumerate(condition_keys):
        condition_type = ConditionType.objects.get(key=key)
        Condition.objects.create(
            case=case,
            condition_type=condition_type,
            description=f"Attend {condition_type.label.lower()} with {provider.name}.",
            due_date=min(caution_date + dt.timedelta(weeks=10 + 2 * i), case.compliance_deadline),
            provider=provider,
        )
        NeedAssessment.objects.get_or_create(
            case=case,
            pathway=condition_type.pathway or NeedPathway.objects.get(key="health"),
            defaults={
                "severity": ["high", "medium", "low"][i % 3],
                "notes": "Assessed at the police station; the person agreed to support.",
                "assessed_by": officer,
            },
        )
    return case


def _walk(referral, scenario, worker):
    """Move a fresh referral to its demo state through the services."""
    if referral.status != Referral.Status.NEW or referral.events.count() != 1:
        return  # already walked (or moved on by someone using the demo)
    if scenario == "new":
        return
    if scenario == "returned":
        services.referral_return(
            referral=referral,
            actor=worker,
            reason="Lives outside our service area: please refer to the Cambridge service.",
        )
        return
    services.referral_accept(referral=referral, actor=worker, assignee=worker)
    if scenario == "accepted":
        return
    if scenario == "in_progress":
        _session(referral, worker, 20, "attended", kind="assessment")
        _session(referral, worker, 13, "late")
        _session(referral, worker, 9, "did_not_attend", reason_ok=True)
        _session(referral, worker, 6, "cancelled_by_provider")
        _session(referral, worker, 4, "rescheduled", kind="phone")
        wrong = _session(referral, worker, 2, "did_not_attend")
        data = {
            "occurred_at": wrong.occurred_at,
            "duration_minutes": 30,
            "kind": "group",
            "attendance": "attended",
            "absence_reason_accepted": False,
            "notes": "Attended the group session after all (register checked).",
            "next_steps": "",
            "pathways": list(referral.pathways.all()),
        }
        services.session_correct(
            session=wrong,
            actor=worker,
            data=data,
            reason="Recorded as missed by mistake: the group register shows attendance.",
        )
        return
    if scenario == "not_engaging":
        _session(referral, worker, 21, "attended", kind="assessment")
        _session(referral, worker, 14, "did_not_attend")
        _session(referral, worker, 7, "did_not_attend")
        services.progress_report(
            referral=referral,
            actor=worker,
            kind="not_engaging",
            details="Missed the last two appointments without a reason; not answering calls.",
        )
        return
    if scenario == "completed":
        _session(referral, worker, 60, "attended", kind="assessment")
        _session(referral, worker, 45, "attended")
        _session(referral, worker, 30, "late", kind="home_visit")
        _session(referral, worker, 16, "attended")
        referral.refresh_from_db()
        for condition in Condition.objects.filter(
            case=referral.case, provider=referral.provider, status="pending"
        ):
            services.progress_report(
                referral=referral,
                actor=worker,
                kind="complied",
                condition=condition,
                complied_on=timezone.localdate() - dt.timedelta(days=16),
                details="Attended four sessions and completed the support plan.",
            )
        outcomes = {p.pk: "improved" for p in services.pathways_worked_on(referral)}
        referral.refresh_from_db()
        if referral.status in (Referral.Status.ACCEPTED, Referral.Status.IN_PROGRESS):
            services.referral_close(
                referral=referral,
                actor=worker,
                outcomes=outcomes,
                closing_note="Support plan completed; now in touch with local services.",
            )


def seed(ctx) -> None:
    officer = ctx.users["officer"]
    running = Case.objects.filter(
        status__in=[Case.Status.ACTIVE, Case.Status.BREACH],
        conditions__provider__isnull=False,
    ).distinct()
    for case in running:
        services.referrals_sync_for_case(case=case, actor=officer)

    workers = {OUTSIDE_LINKS: ctx.users["caseworker"], SECOND_PROVIDER: ctx.users["caseworker2"]}
    for reference, org_name, person_data, offence_data, keys, scenario in DEMO_CASES:
        provider = ctx.organisations[org_name]
        case = _create_case(ctx, reference, person_data, offence_data, keys, provider)
        services.referrals_sync_for_case(case=case, actor=officer)
        referral = Referral.objects.filter(case=case, provider=provider).first()
        if referral is not None:
            _walk(referral, scenario, workers[org_name])
