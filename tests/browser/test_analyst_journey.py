"""Journey 4: an OPCC analyst opens the dashboard, changes the window and a filter, downloads
a table as CSV (giving a reason, which is logged), and sees no personal data, neither on the
page nor in the file. Every page is checked (tests/browser/pages), including the charts'
data tables and the download form submitted empty."""

import datetime as dt
import zipfile
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


# The widest a table's right edge may reach at 1280 px: GOV.UK's page width (960 px) centred.
PAGE_RIGHT = 1280


def _sections_fit(analyst) -> None:
    """Each section is a page of its own, short enough to read, with nothing scrolling sideways."""
    for label, path in [
        ("Cohorts", "/reporting/cohorts/"),
        ("Breakdowns", "/reporting/breakdowns/"),
        ("Comparison", "/reporting/comparison/"),
        ("Downloads", "/reporting/downloads/"),
        ("Summary", "/reporting/"),
    ]:
        nav = analyst.page.get_by_role("navigation", name="Dashboard sections")
        with analyst.page.expect_navigation():
            nav.get_by_role("link", name=label, exact=True).click()
        analyst.check()
        assert analyst.page.url.split("?")[0].endswith(path), analyst.page.url
        current = nav.locator('[aria-current="page"]').inner_text().strip()
        assert current == label
        height = analyst.page.evaluate("document.documentElement.scrollHeight")
        assert height < 6000, f"{label}: {height} px long"
        scroll = analyst.page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= 1280, f"{label}: {scroll} px wide"


def test_analyst_reads_and_downloads_aggregate_figures_only(open_session, immediate_tasks):
    analyst_user = make_user(Role.ANALYST, username="analyst1")
    people = _people_with_cautions()
    today = dt.date.today()

    analyst = open_session("analyst1")  # an analyst's home page is the dashboard
    assert analyst.h1 == "Reoffending and compliance dashboard"
    summary = analyst.text()
    for words in ("Cautions given", "Compliance rate", "Proven reoffending rate (one year)"):
        assert words in summary
    assert "Compared with similar people not diverted" in summary
    assert "fewer than 60" in summary  # eight people: no matched estimate, said in words
    analyst.shot("40-analyst-dashboard", full_page=True)

    assert Keyboard(analyst).tab_through() > 10  # links, filters, sub-navigation

    _sections_fit(analyst)

    analyst.page.get_by_text("Filter the figures").click()
    analyst.fill("Cautions given from", (today - dt.timedelta(days=365)).isoformat())
    analyst.fill("to", today.isoformat(), exact=True)
    analyst.select("District", "Peterborough")
    analyst.press("Apply filters")
    assert "district=" in analyst.page.url
    page_text = analyst.page.locator("body").inner_text()
    for value in _personal_data(people):
        assert value not in page_text, f"personal data {value!r} shown on the dashboard"

    # The breakdowns keep the filters; the rate column is on screen at 1280 px.
    analyst.follow("Breakdowns", exact=True)
    assert "district=" in analyst.page.url
    header = analyst.page.locator("#table-breakdown-district thead th", has_text="Reoffending rate")
    box = header.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= PAGE_RIGHT, box
    analyst.shot("42-analyst-breakdowns", full_page=False)

    analyst.follow("Comparison", exact=True)
    assert "minimum of 60" in analyst.text() or "at least 60" in analyst.text()

    analyst.follow("Downloads", exact=True)
    analyst.follow("Download every table (zip of CSV files, with notes)")
    analyst.press("Download CSV")  # no reason given: the error state
    assert analyst.title.startswith("Error: ")
    analyst.fill("Why do you need this download?", "Quarterly report to the Police and Crime Panel")
    with analyst.page.expect_download() as download_info:
        analyst.page.get_by_role("button", name="Download CSV").click()
    bundle = download_info.value
    assert bundle.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(bundle.path()) as archive:
        assert {"notes.csv", "README.txt", "headline.csv"} <= set(archive.namelist())
        text = "".join(archive.read(n).decode("utf-8-sig") for n in archive.namelist())
    for value in _personal_data(people):
        assert value not in text, f"personal data {value!r} in the zip"

    analyst.open("/reporting/downloads/")
    analyst.follow("Headline figures")
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
    assert (
        AccessLog.objects.filter(user=analyst_user, action=AccessLog.Action.DISCLOSURE).count() == 2
    ), "each download must be recorded in the access log"


def test_figures_wait_for_the_worker_and_say_when_they_were_computed(open_session, settings):
    """Issue 21: before any figures the page says they are being computed (with a link to
    check again); once the data changes, the last figures show with the time they were computed."""
    from demo.comparison_synthetic import build_comparison_data
    from reporting import snapshots
    from reporting.models import ReportSnapshot

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    make_user(Role.ANALYST, username="analyst1")
    planted = build_comparison_data(treated=300, pool=1200, effect=-0.10)
    window = f"?date_from={planted.date_from}&date_to={planted.date_to}&as_of=2025-12-31"
    analyst = open_session("analyst1")
    analyst.open("/reporting/comparison/" + window)
    assert "Figures are being computed" in analyst.text()
    analyst.shot("43-analyst-figures-being-computed", full_page=False)

    for key in ReportSnapshot.objects.values_list("key", flat=True):
        snapshots.compute(key)  # the worker's part
    analyst.follow("Check for the figures")
    text = analyst.text()
    assert "Compared with similar people not diverted" in text
    assert "Of every 100 people diverted" in text
    assert analyst.page.locator("svg.oh-smd__svg circle").count() > 4
    analyst.shot("44-analyst-comparison", full_page=True)

    _people_with_cautions()  # new cautions: the figures are stale
    analyst.open("/reporting/" + window)
    banner = analyst.page.locator("#stale").inner_text()
    assert "new figures are being computed" in banner
    assert "Figures computed at" in banner
    analyst.shot("45-analyst-stale-figures", full_page=True)
