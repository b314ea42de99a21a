"""Journey: a duplicate person is warned of, added anyway, merged by a sergeant; the disclosure
team exports everything held about the person (issue 16 point 10, issue 17). Every page is
checked, axe included (tests/browser/pages)."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from hub.models import Person
from hub.roles import Role
from records.models import PersonMerge
from tests.cautions.factories import ActiveCaseFactory
from tests.factories import PersonFactory, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DOB = dt.date(1994, 5, 12)


def test_duplicate_warning_merge_and_subject_access(open_session):
    make_user(Role.AUTHORISING_OFFICER, username="sergeant1", first_name="Tom", last_name="Baker")
    make_user(Role.DISCLOSURE, username="disclosure1", first_name="Ruth", last_name="Adeyemi")
    daniel = PersonFactory(
        first_name="Daniel", last_name="Hughes", date_of_birth=DOB, pnc_id="15/0100001Z"
    )
    case = ActiveCaseFactory(offence__person=daniel)

    # -- adding Daniel Hughes again: warned, then added anyway ---------------------------------
    sergeant = open_session("sergeant1")
    sergeant.open("/people/new/")
    sergeant.fill("First name", "Daniel").fill("Last name", "Hughes")
    sergeant.fill("Date of birth", DOB.isoformat())
    sergeant.press("Save")
    assert "may be the person you are adding" in sergeant.text()
    assert sergeant.title.startswith("Error: Add a person")
    sergeant.shot("70-duplicate-warning")
    sergeant.choose("None of these is the person")
    sergeant.press("Save")
    duplicate = Person.objects.exclude(pk=daniel.pk).get()
    assert sergeant.h1 == "Daniel Hughes"
    assert duplicate.history.get().history_change_reason.startswith("Duplicate warning")

    # -- the sergeant merges the duplicate into the first record ------------------------------
    sergeant.open(f"/people/{daniel.pk}/")
    sergeant.follow("Merge a duplicate into this record")
    sergeant.press("Continue")  # empty: errors at the fields
    assert sergeant.error_summary()
    sergeant.fill("Person number of the duplicate record", str(duplicate.pk))
    sergeant.fill("Why these two records are the same person", "Same name, date and address")
    sergeant.press("Continue")
    assert sergeant.h1 == "Check and merge the records"
    sergeant.shot("71-merge-check")
    sergeant.press(f"Merge person {duplicate.pk} into person {daniel.pk}")
    assert "Records merged into this one" in sergeant.text()
    sergeant.shot("72-merged")
    assert PersonMerge.objects.get().merged == duplicate
    sergeant.follow("Undo this merge")
    assert sergeant.h1 == "Undo a merge"

    # -- the disclosure team exports everything held -----------------------------------------
    disclosure = open_session("disclosure1")
    assert disclosure.h1 == "Subject access: find the person"
    disclosure.fill("Name", "Hughes", exact=True).press("Search", exact=True)
    disclosure.shot("73-subject-access-search")
    disclosure.follow(re.compile(r"^Daniel Hughes"))
    disclosure.fill("Reference of the subject access request", "SAR-2026-014")
    disclosure.choose("Readable document")
    disclosure.press("Export")
    assert disclosure.h1 == "Personal data held about Daniel Hughes"
    assert case.reference in disclosure.text()
    disclosure.shot("74-subject-access-document")
    disclosure.page.go_back()
    disclosure.fill("Reference of the subject access request", "SAR-2026-014")
    disclosure.choose("Machine-readable file")
    with disclosure.page.expect_download() as download:
        disclosure.page.get_by_role("button", name="Export").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert {p["id"] for p in data["people"]} == {daniel.pk, duplicate.pk}
