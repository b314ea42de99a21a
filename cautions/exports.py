"""The case list as CSV (a disclosure: the view logs it before the file is sent), written only
through hub.lib.csvexport. The rows are those of the case list with its current filters, for
the force's crime recording: the Home Office crime outcome code included."""

from __future__ import annotations

from collections.abc import Iterator

from cautions.models import Case
from hub.lib import csvexport

HEADER = [
    "reference",
    "person",
    "pnc_id",
    "offence",
    "offence_date",
    "mode_of_trial",
    "district",
    "officer",
    "status",
    "caution_date",
    "compliance_deadline",
    "outcome_date",
    "home_office_outcome",
    "charge_date",
    "court_outcome",
    "court_outcome_details",
    "court_outcome_date",
]


def _row(case: Case) -> list:
    officer = case.officer
    return [
        case.reference,
        case.person.full_name,
        case.person.pnc_id,
        case.offence.category.label,
        case.offence.offence_date,
        case.offence.get_mode_of_trial_display(),
        case.offence.district.name if case.offence.district else "",
        (officer.get_full_name() or officer.get_username()) if officer else "",
        case.get_status_display(),
        case.caution_date,
        case.compliance_deadline,
        case.outcome_date,
        case.crime_outcome,
        case.charge_date,
        case.get_court_outcome_kind_display(),
        case.court_outcome,
        case.court_outcome_date,
    ]


def case_list_lines(cases) -> Iterator[str]:
    """The CSV lines, header first, reading the cases in chunks (the queryset brings its
    joins: cautions.selectors.case_list)."""

    class Echo:
        def write(self, value):
            return value

    writer = csvexport.writer(Echo())
    yield writer.writerow(HEADER)
    for case in cases.iterator(chunk_size=2000):
        yield writer.writerow(_row(case))
