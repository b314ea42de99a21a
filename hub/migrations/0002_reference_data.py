"""Reference data from DOMAIN.md (keys are stable; labels are editable in the admin)."""

from django.db import migrations

DISTRICTS = [
    "Cambridge",
    "East Cambridgeshire",
    "Fenland",
    "Huntingdonshire",
    "South Cambridgeshire",
    "Peterborough",
]

# key, label, mode of trial, default gravity
OFFENCE_CATEGORIES = [
    ("theft", "Theft", "either_way", 2),
    ("shoplifting", "Shoplifting", "either_way", 2),
    ("criminal_damage", "Criminal damage", "either_way", 2),
    ("public_order", "Public order", "summary", 1),
    ("drunk_disorderly", "Drunk and disorderly", "summary", 1),
    ("minor_assault", "Common assault", "summary", 2),
    ("harassment", "Harassment", "summary", 2),
    ("drugs_possession", "Possession of drugs", "either_way", 2),
    ("handling_stolen_goods", "Handling stolen goods", "either_way", 3),
    ("fraud", "Fraud", "either_way", 3),
    ("assault_abh", "Assault occasioning actual bodily harm", "either_way", 3),
    ("robbery", "Robbery", "indictable_only", 4),
]

# key, label, extra
PATHWAYS = [
    ("accommodation", "Accommodation", False),
    ("education_training_employment", "Education, training and employment", False),
    ("health", "Health (including mental health)", False),
    ("drugs_alcohol", "Drugs and alcohol", False),
    ("finance_benefit_debt", "Finance, benefit and debt", False),
    ("children_families", "Children and families", False),
    ("attitudes_thinking_behaviour", "Attitudes, thinking and behaviour", False),
    ("abuse_domestic_violence", "Abuse or domestic violence", True),
    ("sex_work", "Sex work", True),
]

# key, label, object, pathway, needs provider, needs victim consent, amount, hours,
# counts towards the 20-hour cap, capped by mode of trial
CONDITION_TYPES = [
    ("housing", "Housing support", "rehabilitation", "accommodation", True, False, False, False, False, False),
    ("employment_training", "Employment and training", "rehabilitation", "education_training_employment", True, False, False, False, False, False),
    ("mental_health", "Mental health support", "rehabilitation", "health", True, False, False, False, False, False),
    ("drugs_alcohol", "Drugs and alcohol intervention", "rehabilitation", "drugs_alcohol", True, False, False, False, False, False),
    ("debt", "Debt and benefits advice", "rehabilitation", "finance_benefit_debt", True, False, False, False, False, False),
    ("family_support", "Family support", "rehabilitation", "children_families", True, False, False, False, False, False),
    ("anger_management", "Anger management course", "rehabilitation", "attitudes_thinking_behaviour", True, False, False, False, False, False),
    ("victim_awareness", "Victim awareness course", "rehabilitation", "attitudes_thinking_behaviour", True, False, False, False, False, False),
    ("restorative_justice", "Restorative justice", "reparation", None, True, True, False, False, False, False),
    ("apology_letter", "Letter of apology", "reparation", None, False, False, False, False, False, False),
    ("compensation", "Compensation", "reparation", None, False, False, True, False, False, False),
    ("repair_damage", "Repair the damage", "reparation", None, False, False, False, False, False, False),
    ("unpaid_work", "Unpaid work", "punishment", None, False, False, False, True, True, False),
    ("financial_penalty", "Financial penalty", "punishment", None, False, False, True, False, False, True),
    ("no_contact", "No contact with the victim", "restrictive", None, False, False, False, False, False, False),
    ("exclusion_zone", "Stay out of an area", "restrictive", None, False, False, False, False, False, False),
]

ORGANISATIONS = [
    ("Cambridgeshire Constabulary", "police_force"),
    ("Outside Links (HMP Peterborough)", "support_provider"),
    ("Cambridgeshire and Peterborough OPCC", "opcc"),
]


def load(apps, schema_editor):
    District = apps.get_model("hub", "District")
    OffenceCategory = apps.get_model("hub", "OffenceCategory")
    NeedPathway = apps.get_model("hub", "NeedPathway")
    ConditionType = apps.get_model("hub", "ConditionType")
    Organisation = apps.get_model("hub", "Organisation")

    for name in DISTRICTS:
        District.objects.get_or_create(name=name)
    for key, label, mode, gravity in OFFENCE_CATEGORIES:
        OffenceCategory.objects.get_or_create(
            key=key,
            defaults={"label": label, "mode_of_trial": mode, "default_gravity": gravity},
        )
    pathways = {}
    for order, (key, label, extra) in enumerate(PATHWAYS, start=1):
        pathways[key], _ = NeedPathway.objects.get_or_create(
            key=key, defaults={"label": label, "sort_order": order, "is_extra": extra}
        )
    for order, row in enumerate(CONDITION_TYPES, start=1):
        key, label, obj, pathway, provider, consent, amount, hours, cap, penalty = row
        ConditionType.objects.get_or_create(
            key=key,
            defaults={
                "label": label,
                "object": obj,
                "pathway": pathways.get(pathway),
                "needs_provider": provider,
                "needs_victim_consent": consent,
                "has_amount": amount,
                "has_hours": hours,
                "counts_towards_hours_cap": cap,
                "capped_by_mode_of_trial": penalty,
                "sort_order": order,
            },
        )
    for name, kind in ORGANISATIONS:
        Organisation.objects.get_or_create(name=name, defaults={"kind": kind})


class Migration(migrations.Migration):
    dependencies = [("hub", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
