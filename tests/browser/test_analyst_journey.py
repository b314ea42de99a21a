"""Journey 4: an OPCC analyst opens the dashboard, changes the window and a filter, downloads
a table as CSV (giving a reason, which is logged), and sees no personal data, neither on the
page nor in the file. Every page is checked (tests/browser/pages), including the charts'
data tables and the download form submitted empty."""

import datetime as dt
from pathlib import Path

import pytest

from hub.models import AccessLog
from hub.roles import Role
from tests.browser.pages import Keyboard
from tests.cautions.factories import CompliedCaseFactory, FailedNoFurtherActionCaseFactory
from tests.factories import PersonFactory, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _people_with_cautions() -> list:
    people = []
    for n in range(8):
        person = PersonFactory(
            first_name=f"Zebedee{n}",
            last_name="Quartermaine",
            pnc_id=f"19/77700{n}Q",
            date_of_birth=dt.date(1990, 1, 10 + n),
        )
        factory = FailedNoFurtherActionCaseFactory if n < 2 else CompliedCaseFactory
        factory(offence__person=person)
        people.append(person)
    return people


def _personal_data(people) -> list[str]:
    values = []
    for person in people:
        values += [person.first_name, person.pnc_id, person.date_of_birth.isoformat()]
        values.append(person.date_of_birth.strftime("%-d %B %Y"))
    return [*values, "Quartermaine"]


def test_analyst_reads_and_downloads_aggregate_figures_only(open_session):
    analyst_user = make_user(Role.ANALYST, username="analyst1")
    people = _people_with_cautions()
    today = dt.date.today()

    analyst = open_session("analyst1")  # an analyst's home page is the dashboard
    assert analyst.h1 == "Reoffending and compliance dashboard"
    analyst.shot("40-analyst-dashboard", full_page=False)

    assert Keyboard(analyst).tab_through() > 10  # links, filters, scrollable tables

    analyst.page.get_by_text("Filter the figures").click()
    analyst.fill("Cautions given from", (today - dt.timedelta(days=365)).isoformat())
    analyst.fill("to", today.isoformat(), exact=True)
    analyst.select("District", "Peterborough")
    analyst.press("Apply filters")
    assert "district=" in analyst.page.url
    page_text = analyst.page.locator("body").inner_text()
    for value in _personal_data(people):
        assert value not in page_text, f"personal data {value!r} shown on the dashboard"

    analyst.follow("Download this table as CSV")
    analyst.press("Download CSV")  # no reason given: the error state
    assert analyst.title.startswith("Error: ")
    analyst.fill("Why do you need this download?", "Quarterly report to the Police and Crime Panel")
    analyst.shot("41-analyst-download")
    with analyst.page.expect_download() as download_info:
        analyst.page.get_by_role("button", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    content = Path(download.path()).read_text(encoding="utf-8-sig")
    assert content.count("\n") >= 2, content
    for value in _personal_data(people):
        assert value not in content, f"personal data {value!r} in the CSV download"
    assert AccessLog.objects.filter(
        user=analyst_user, action=AccessLog.Action.DISCLOSURE
    ).exists(), "the download must be recorded in the access log"
