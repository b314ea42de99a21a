"""Issue 17 point 4: an import is not an oracle, and does not attach cases to people held in
the workflow without a deliberate, logged match.

An analyst's upload with a bad line used to say whether a PNC ID was held and confirm its date
of birth; a clean one attached its cases to the real person, whom officers then saw with them.
"""

import datetime as dt
import io

import pytest
from django.urls import reverse

from cautions.models import Case
from hub.models import AccessLog, Person, ReoffenceRecord
from reporting.services import ImportRejected, import_cases, import_reoffences
from tests.factories import PersonFactory
from tests.reporting.test_imports import CASE_HEADER, REOFFENCE_HEADER

pytestmark = pytest.mark.django_db

PNC = "16/555555K"
LINE = (
    "H-{n},{pnc},{dob},male,W1,Cambridge,theft,2016-08-01,2,2016-08-31,housing,complied,2016-12-01"
)
BAD_LINE = "H-99,16/000001A,1990-01-01,male,W1,Nowhere,theft,2016-08-01,2,2016-08-31,housing,complied,2016-12-01"


def _cases(*lines):
    return import_cases(
        source=io.BytesIO("\n".join([CASE_HEADER, *lines, ""]).encode()), file_name="c.csv"
    )


def _rejection(*lines) -> list[str]:
    with pytest.raises(ImportRejected) as rejected:
        _cases(*lines)
    return rejected.value.errors


def _held(dob="1985-03-03"):
    return PersonFactory(pnc_id=PNC, date_of_birth=dt.date.fromisoformat(dob))


@pytest.mark.parametrize("dob", ["1985-03-03", "1970-01-01"])
def test_a_bad_file_says_the_same_whether_or_not_the_pnc_id_is_held(dob):
    probe = LINE.format(n=1, pnc=PNC, dob=dob)
    not_held = _rejection(probe, BAD_LINE)
    _held()
    assert _rejection(probe, BAD_LINE) == not_held
    assert not_held == ["line 3: district 'Nowhere' is not a known district"]


@pytest.mark.parametrize("dob", ["1985-03-03", "1970-01-01"])
def test_a_clean_file_reads_the_same_and_attaches_nothing_to_a_held_person(dob):
    held = _held()
    result = _cases(LINE.format(n=1, pnc=PNC, dob=dob))
    assert (result.created, result.people_created) == (1, 1)
    assert "linked" not in result.summary()
    case = Case.objects.get(reference="H-1")
    assert case.person != held
    assert held.cases.count() == 0
    assert held.offences.count() == 0
    assert (case.person.pnc_id, case.imported_person_ref) == (None, PNC)
    # Importing the file again changes nothing.
    assert _cases(LINE.format(n=1, pnc=PNC, dob=dob)).already_present == 1
    assert held.cases.count() == 0


def test_cases_of_a_person_an_import_created_join_them():
    _cases(LINE.format(n=1, pnc=PNC, dob="1985-03-03"))
    _cases(LINE.format(n=2, pnc=PNC, dob="1985-03-03"))
    imported = Person.objects.get(pnc_id=PNC)
    assert set(imported.cases.values_list("reference", flat=True)) == {"H-1", "H-2"}
    # Another date of birth: kept apart, no error telling the uploader.
    _cases(LINE.format(n=3, pnc=PNC, dob="1970-01-01"))
    apart = Case.objects.get(reference="H-3")
    assert apart.person != imported
    assert apart.imported_person_ref == PNC


def test_reoffence_records_still_link_by_pnc_id_but_the_summary_does_not_say():
    held = _held()
    result = import_reoffences(
        source=io.BytesIO(
            f"{REOFFENCE_HEADER}\n{PNC},2017-01-01,2017-02-01,theft,conviction\n".encode()
        ),
        file_name="r.csv",
    )
    assert ReoffenceRecord.objects.get().person == held
    assert "linked" not in result.summary()


def _match_url(person):
    return reverse("reporting:match_imported", args=[person.pk])


def test_an_officer_matches_kept_apart_cases_with_a_reason_and_it_is_logged(as_user, officer):
    held = _held()
    _cases(LINE.format(n=1, pnc=PNC, dob="1985-03-03"))
    case = Case.objects.get(reference="H-1")
    client = as_user(officer)
    page = client.get(_match_url(held)).content.decode()
    assert "H-1" in page
    refused = client.post(_match_url(held), {"reason": "  ", "case": [case.pk]})
    assert "Enter why these cases are this person&#x27;s" in refused.content.decode()
    assert held.cases.count() == 0
    response = client.post(
        _match_url(held), {"reason": "PNC ID and date of birth agree", "case": [case.pk]}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.person, case.offence.person, case.imported_person_ref) == (held, held, None)
    entry = AccessLog.objects.filter(action=AccessLog.Action.ALTERATION, person=held).get()
    assert entry.user == officer
    assert entry.justification == "PNC ID and date of birth agree"
    assert "H-1" in entry.description
    assert case.history.first().history_user == officer
    # Nothing left to match: a clear error, not a 500.
    again = client.post(_match_url(held), {"reason": "again", "case": [case.pk]})
    assert "There are no imported cases to match" in again.content.decode()


@pytest.mark.parametrize("user_fixture", ["analyst", "caseworker", "administrator"])
def test_only_a_police_user_may_match(request, as_user, user_fixture):
    held = _held()
    _cases(LINE.format(n=1, pnc=PNC, dob="1985-03-03"))
    case = Case.objects.get(reference="H-1")
    client = as_user(request.getfixturevalue(user_fixture))
    assert client.get(_match_url(held)).status_code == 403
    assert client.post(_match_url(held), {"reason": "x", "case": [case.pk]}).status_code == 403
    assert held.cases.count() == 0


def test_a_case_of_another_pnc_id_cannot_be_slipped_into_the_match(as_user, officer):
    held = _held()
    _held_other = PersonFactory(pnc_id="16/666666L")
    _cases(LINE.format(n=1, pnc="16/666666L", dob="1985-03-03"))
    other_case = Case.objects.get(reference="H-1")
    response = as_user(officer).post(_match_url(held), {"reason": "mine", "case": [other_case.pk]})
    assert "There are no imported cases to match" in response.content.decode()
    other_case.refresh_from_db()
    assert other_case.person != held


def test_the_person_page_leads_an_officer_to_the_match(as_user, officer):
    held = _held()
    page = as_user(officer).get(reverse("hub:person_detail", args=[held.pk])).content.decode()
    assert _match_url(held) in page
