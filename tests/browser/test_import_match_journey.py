"""An officer matches an imported historic case kept apart from a person (issue 17 point 4):
from the person's page, with a reason; the empty form shows its error first."""

import datetime as dt
import io

import pytest

from cautions.models import Case
from hub.roles import Role
from reporting.services import import_cases
from tests.factories import PersonFactory, make_user
from tests.reporting.test_imports import CASE_HEADER

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LINE = "H-1,16/555555K,1985-03-03,male,W1,Cambridge,theft,2016-08-01,2,2016-08-31,housing,complied,2016-12-01"


def test_officer_matches_an_imported_case(open_session):
    make_user(Role.OFFICER, username="officer1")
    person = PersonFactory(
        first_name="Kelly",
        last_name="Marsh",
        pnc_id="16/555555K",
        date_of_birth=dt.date(1985, 3, 3),
    )
    import_cases(source=io.BytesIO(f"{CASE_HEADER}\n{LINE}\n".encode()), file_name="c.csv")
    assert person.cases.count() == 0

    officer = open_session("officer1")
    officer.open(f"/people/{person.pk}/")
    officer.follow("Imported historic cases with this PNC ID")
    assert officer.h1 == "Imported historic cases"
    officer.shot("90-match-imported")
    officer.press("Match these cases to the person")
    assert officer.title.startswith("Error: ")
    officer.shot("91-match-imported-error")
    officer.fill("Why are these cases this person's?", "PNC ID and date of birth agree")
    officer.press("Match these cases to the person")
    assert officer.h1 == "Kelly Marsh"
    assert Case.objects.get(reference="H-1").person == person
