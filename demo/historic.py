"""Demo data for the dashboard: historic imported cases and reoffence records.

Generated deterministically (random.Random with a fixed seed) in the shape of the
Cambridgeshire hub's first years (Sept 2016 to Feb 2018: about 84% compliance, a one-year
proven reoffending rate near 25%), and loaded through the import services like a real file.
Idempotent: skipped once the demo files have been imported.
"""

import csv
import datetime as dt
import io
import random

from hub.lib.pnc import format_pnc
from hub.models import ImportBatch
from reporting.services import (
    CASE_COLUMNS,
    REOFFENCE_COLUMNS,
    import_cases,
    import_reoffences,
)

CASES_FILE = "demo-historic-cases-2016-2018.csv"
REOFFENCES_FILE = "demo-pnc-reoffences.csv"
SEED = 2016
PEOPLE = 300
START = dt.date(2016, 9, 1)
END = dt.date(2018, 2, 28)

DISTRICTS = [
    ("Peterborough", 30),
    ("Cambridge", 22),
    ("Fenland", 16),
    ("Huntingdonshire", 14),
    ("East Cambridgeshire", 8),
    ("South Cambridgeshire", 10),
]
CATEGORIES = [
    ("shoplifting", 30),
    ("theft", 15),
    ("criminal_damage", 15),
    ("public_order", 10),
    ("drunk_disorderly", 8),
    ("minor_assault", 12),
    ("drugs_possession", 10),
]
CONDITIONS = [
    ("drugs_alcohol", 20),
    ("housing", 15),
    ("employment_training", 12),
    ("mental_health", 14),
    ("debt", 8),
    ("anger_management", 8),
    ("victim_awareness", 10),
    ("apology_letter", 15),
    ("compensation", 10),
    ("repair_damage", 5),
]
ETHNICITIES = [("W1", 70), ("W9", 8), ("W2", 2), ("M1", 3), ("A1", 3), ("A2", 4)]
ETHNICITIES += [("B1", 3), ("B2", 2), ("O9", 1), ("NS", 4)]
SEXES = [("male", 78), ("female", 20), ("not_stated", 2)]


def _pick(rng: random.Random, weighted):
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def generate(seed: int = SEED) -> tuple[str, str]:
    """(cases CSV, reoffences CSV) as text."""
    rng = random.Random(seed)
    cases, reoffences = io.StringIO(), io.StringIO()
    # Files for the importer, never handed to a spreadsheet: written as the import reads them,
    # not through hub.lib.csvexport (whose leading ' would become part of the imported value).
    case_writer = csv.DictWriter(cases, CASE_COLUMNS)
    case_writer.writeheader()
    reoffence_writer = csv.writer(reoffences)
    reoffence_writer.writerow(REOFFENCE_COLUMNS)
    span = (END - START).days
    number = 0
    for i in range(PEOPLE):
        ref = format_pnc(rng.randint(5, 16), 900_000 + i)  # valid PNC IDs, check letter included
        dob = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 38))
        sex, ethnicity = _pick(rng, SEXES), _pick(rng, ETHNICITIES)
        district = _pick(rng, DISTRICTS)
        index = START + dt.timedelta(days=rng.randrange(0, span))
        # About one person in eight had a second caution in the period.
        cautions = [index]
        if rng.random() < 0.12 and (END - index).days > 120:
            cautions.append(index + dt.timedelta(days=rng.randrange(120, (END - index).days)))
        for caution in cautions:
            number += 1
            roll = rng.random()
            outcome = "withdrawn" if roll < 0.02 else ("complied" if roll < 0.86 else "failed")
            types = {_pick(rng, CONDITIONS) for _ in range(rng.choice([1, 2, 2, 3]))}
            case_writer.writerow(
                {
                    "case_ref": f"CAM-{caution.year}-{number:04d}",
                    "person_ref": ref,
                    "date_of_birth": dob,
                    "sex": sex,
                    "ethnicity": ethnicity,
                    "district": district,
                    "offence_category": _pick(rng, CATEGORIES),
                    "offence_date": caution - dt.timedelta(days=rng.randrange(1, 40)),
                    "gravity_score": rng.choice([1, 2, 2, 2, 3]),
                    "caution_date": caution,
                    "condition_types": ";".join(sorted(types)),
                    "outcome": outcome,
                    "outcome_date": caution + dt.timedelta(days=rng.randrange(20, 112)),
                }
            )
        # National records: about a quarter reoffend within the year, plus records that do
        # not count (before the index date, or after the follow-up).
        if rng.random() < 0.25:
            for _ in range(rng.choice([1, 1, 2, 3])):
                offence = index + dt.timedelta(days=rng.randrange(1, 365))
                proven = offence + dt.timedelta(days=rng.randrange(7, 150))
                reoffence_writer.writerow(
                    [
                        ref,
                        offence,
                        proven,
                        _pick(rng, CATEGORIES),
                        rng.choice(["conviction", "caution"]),
                    ]
                )
        if rng.random() < 0.15:
            offence = index + dt.timedelta(days=rng.choice([-200, -30, 400, 600]))
            proven = offence + dt.timedelta(days=rng.randrange(30, 200))
            reoffence_writer.writerow([ref, offence, proven, "theft", "conviction"])
    for i in range(40):  # people in the extract who never had a caution from the hub
        offence = START + dt.timedelta(days=rng.randrange(0, 900))
        reoffence_writer.writerow(
            [
                format_pnc(17, 800_000 + i),
                offence,
                offence + dt.timedelta(days=60),
                "theft",
                "conviction",
            ]
        )
    return cases.getvalue(), reoffences.getvalue()


def seed(ctx) -> None:
    if ImportBatch.objects.filter(file_name=CASES_FILE).exists():
        return
    cases, reoffences = generate()
    import_cases(source=io.StringIO(cases), file_name=CASES_FILE)
    import_reoffences(source=io.StringIO(reoffences), file_name=REOFFENCES_FILE)
