"""Write a cases file and a reoffences file of N lines each, for timing the imports.

    .venv/bin/python bench/import_files.py 100000 /tmp/bench PREFIX

PREFIX keeps the case references and PNC IDs of one run apart from another's, so the same
database can import a second set (measured before and after a change) without re-imports.
"""

import csv
import datetime as dt
import random
import sys
from pathlib import Path

CASE_COLUMNS = [
    "case_ref",
    "person_ref",
    "date_of_birth",
    "sex",
    "ethnicity",
    "district",
    "offence_category",
    "offence_date",
    "gravity_score",
    "caution_date",
    "condition_types",
    "outcome",
    "outcome_date",
]
DISTRICTS = ["Peterborough", "Cambridge", "Fenland", "Huntingdonshire"]
CATEGORIES = ["shoplifting", "theft", "criminal_damage"]
OUTCOMES = ["complied", "failed", "withdrawn", "in_progress"]


def main(lines: int, folder: str, prefix: str) -> None:
    rng = random.Random(lines)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    start = dt.date(2012, 1, 1)
    with (
        open(out / f"cases-{prefix}.csv", "w", newline="") as cases,
        open(out / f"reoffences-{prefix}.csv", "w", newline="") as reoffences,
    ):
        case_writer, reoffence_writer = csv.writer(cases), csv.writer(reoffences)
        case_writer.writerow(CASE_COLUMNS)
        reoffence_writer.writerow(
            ["person_ref", "offence_date", "proven_date", "offence_category", "disposal"]
        )
        for n in range(lines):
            person = f"{prefix}/{n // 2:07d}Z"  # two cases per person
            dob = dt.date(1960, 1, 1) + dt.timedelta(days=(n // 2) % 12000)
            offence = start + dt.timedelta(days=rng.randrange(3000))
            caution = offence + dt.timedelta(days=rng.randrange(1, 60))
            outcome = rng.choice(OUTCOMES)
            ended = "" if outcome == "in_progress" else caution + dt.timedelta(days=100)
            case_writer.writerow(
                [
                    f"{prefix}-{n}",
                    person,
                    dob,
                    "male",
                    "W1",
                    rng.choice(DISTRICTS),
                    rng.choice(CATEGORIES),
                    offence,
                    2,
                    caution,
                    "housing;debt",
                    outcome,
                    ended,
                ]
            )
            proven = offence + dt.timedelta(days=200)
            reoffence_writer.writerow(
                [person, offence + dt.timedelta(days=100 + n % 7), proven, "theft", "conviction"]
            )


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], sys.argv[3])
