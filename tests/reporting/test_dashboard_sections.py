"""The dashboard as an analyst reads it (issue 19): a summary first, sections of their own,
quarters trimmed to the data, tables that fit, suppressed rates shown as suppressed, and one
download of every table with notes, logged as a disclosure."""

import csv
import io
import re
import zipfile

import pytest
from django.urls import reverse

from hub.lib import stats
from hub.models import AccessLog
from reporting.dashboard import against_baseline
from reporting.exports import SUPPRESSED, quarter_label, trimmed_quarters
from tests.reporting.builders import caution, person, reoffence
from tests.reporting.test_views import WINDOW, seed_people

pytestmark = pytest.mark.django_db

SECTIONS = ["dashboard", "cohorts", "breakdowns", "comparison", "downloads"]
ALL = reverse("reporting:export_all")


def _query(params) -> str:
    from urllib.parse import urlencode

    return "?" + urlencode(params)


def test_every_section_is_its_own_page_with_the_sub_navigation_keeping_the_filters(
    as_user, analyst
):
    seed_people(10)
    client = as_user(analyst)
    for name in SECTIONS:
        response = client.get(reverse(f"reporting:{name}"), WINDOW)
        page = response.content.decode()
        assert response.status_code == 200
        assert 'class="moj-sub-navigation' in page
        current = re.findall(r'sub-navigation__link" href="([^"]+)" aria-current="page"', page)
        assert current == [reverse(f"reporting:{name}") + _query(WINDOW).replace("&", "&amp;")]


def test_the_summary_comes_first_and_the_detail_lives_in_its_sections(as_user, analyst):
    seed_people(10)
    client = as_user(analyst)
    summary = client.get(reverse("reporting:dashboard"), WINDOW).content.decode()
    assert summary.index("Cautions given") < summary.index("Compliance rate")
    assert "Proven reoffending rate (one year)" in summary
    assert "exact binomial test" in summary
    assert "Compared with similar people not diverted" in summary
    assert "Quarterly cohorts" not in summary
    assert "By district" not in summary
    breakdowns = client.get(reverse("reporting:breakdowns"), WINDOW).content.decode()
    assert "By district" in breakdowns
    assert "Nearly eligible" in breakdowns


def test_quarters_before_the_first_caution_and_after_the_last_are_not_shown(as_user, analyst):
    seed_people(10)  # every caution on 1 March 2016
    response = as_user(analyst).get(
        reverse("reporting:cohorts"),
        {"date_from": "2014-01-01", "date_to": "2018-12-31", "as_of": "2020-01-01"},
    )
    rows = response.context["tables"]["quarters"].rows
    assert [row[0] for row in rows] == ["January to March 2016"]


def test_trimming_keeps_empty_quarters_between_two_with_data():
    def q(cautions, people):
        return {"compliance": {"cautions": cautions}, "people": people}

    quarters = [q(0, 0), q(3, 3), q(0, 0), q(0, 2), q(0, 0)]
    assert trimmed_quarters(quarters) == quarters[1:4]
    assert trimmed_quarters([q(0, 0)]) == []


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        ("2016-01-01", "2016-03-31", "January to March 2016"),
        ("2016-11-01", "2017-01-31", "November 2016 to January 2017"),
        ("2016-01-01", "2016-02-15", "1 January 2016 to 15 February 2016"),
    ],
)
def test_quarter_labels_are_words(start, end, label):
    assert quarter_label(start, end) == label


def test_a_suppressed_rate_is_shown_as_suppressed_never_as_a_count(as_user, analyst):
    seed_people(20, district="Peterborough")
    seed_people(3, district="Fenland", reoffend_every=1)
    response = as_user(analyst).get(reverse("reporting:breakdowns"), WINDOW)
    page = response.context["tables"]["breakdown-district"].page
    rows = {row[0][1]: row for row in page.rows}
    for heading, text, is_rate in rows["Fenland"][1:]:
        if is_rate:
            assert text in ("[c]", "not available") or text.endswith("%"), (heading, text)
            assert "fewer" not in text
    fenland = {heading: text for heading, text, _rate in rows["Fenland"]}
    assert fenland["Reoffending rate"] == "[c]"
    assert fenland["95% interval"] == "[c]"
    html = response.content.decode()
    assert 'data-label="Reoffending rate">[c]</td>' in html


def test_page_tables_fit_seven_columns_and_stack_on_a_phone(as_user, analyst):
    seed_people(10)
    response = as_user(analyst).get(reverse("reporting:breakdowns"), WINDOW)
    html = response.content.decode()
    table = html[html.index('id="table-breakdown-district"') :]
    table = table[: table.index("</table>")]
    assert len(re.findall(r'<th scope="col"', table)) == 7
    assert 'class="govuk-table oh-stack oh-report-table"' in html
    assert "oh-table-scroll" not in html


@pytest.mark.parametrize(
    ("reoffenders", "n", "significant"),
    [(20, 100, False), (16, 100, True), (25, 100, False), (35, 100, True), (33, 100, False)],
)
def test_the_headline_says_whether_the_rate_differs_significantly_from_the_baseline(
    reoffenders, n, significant
):
    headline = {"binary_rate": reoffenders / n, "cohort_size": n, "reoffenders": reoffenders}
    result = against_baseline(headline, 0.25)
    p = stats.exact_binomial_p(reoffenders, n, 0.25)
    assert result["significant"] is significant
    assert (p < 0.05) is significant
    assert ("is statistically significant" in result["words"]) is significant


def test_a_hidden_rate_is_not_tested_against_the_baseline():
    assert (
        against_baseline(
            {"binary_rate": SUPPRESSED, "cohort_size": 3, "reoffenders": SUPPRESSED}, 0.25
        )
        is None
    )
    assert against_baseline({"binary_rate": None, "cohort_size": 0, "reoffenders": 0}, 0.25) is None


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_one_download_holds_every_table_with_notes_and_is_a_logged_disclosure(as_user, analyst):
    seed_people(20, district="Peterborough")
    seed_people(3, district="Fenland", reoffend_every=1)
    client = as_user(analyst)
    downloads = client.get(reverse("reporting:downloads"), WINDOW).content.decode()
    assert "Download every table (zip of CSV files, with notes)" in downloads
    url = ALL + _query(WINDOW)
    form = client.get(url)
    assert "Why do you need this download?" in form.content.decode()
    refused = client.post(url, {"justification": " "})
    assert "<title>Error: " in refused.content.decode()
    assert AccessLog.objects.count() == 0

    response = client.post(url, {"justification": "Panel pack", "recipient": "PCP"})
    assert response["Content-Type"] == "application/zip"
    assert (
        'filename="reoffending-all-tables-2016-01-01-2016-12-31.zip"'
        in response["Content-Disposition"]
    )
    archive = _zip(response)
    names = set(archive.namelist())
    tables = set(client.get(reverse("reporting:downloads"), WINDOW).context["tables"])
    assert {f"{key}.csv" for key in tables} | {"notes.csv", "README.txt"} == names
    notes = list(csv.reader(io.StringIO(archive.read("notes.csv").decode("utf-8-sig"))))
    assert notes[0] == ["File", "Table", "Rows", "Has suppressed figures"]
    by_file = {row[0]: row for row in notes[1:] if row}
    assert by_file["breakdown-district.csv"][3] == "yes"
    assert notes[-1][0] == "[c]"
    assert "confidential" in notes[-1][1]
    district = archive.read("breakdown-district.csv").decode("utf-8-sig")
    fenland = next(line for line in district.splitlines() if line.startswith("Fenland"))
    assert "[c]" in fenland
    assert ",3," not in fenland
    readme = archive.read("README.txt").decode()
    assert "2016-01-01 to 2016-12-31" in readme
    entry = AccessLog.objects.get()
    assert (entry.action, entry.object_id, entry.justification) == (
        "disclosure",
        "all",
        "Panel pack",
    )


def test_no_section_nor_the_zip_shows_a_person(as_user, analyst):
    people = seed_people(8)
    known = person(first_name="Zebedee", last_name="Quartermaine", pnc_id="11/424242Q")
    caution(known, "2016-04-01")
    reoffence(known, "2016-05-01", "2016-06-01")
    people.append(known)
    client = as_user(analyst)
    texts = [client.get(reverse(f"reporting:{n}"), WINDOW).content.decode() for n in SECTIONS]
    archive = _zip(client.post(ALL + _query(WINDOW), {"justification": "Check"}))
    texts += [archive.read(name).decode("utf-8-sig") for name in archive.namelist()]
    text = "\n".join(texts)
    for who in people:
        for value in [who.first_name, who.last_name, who.pnc_id, who.date_of_birth.isoformat()]:
            assert value not in text, value


@pytest.mark.parametrize("user_fixture", ["officer", "sergeant", "caseworker", "administrator"])
def test_only_analysts_see_the_sections_and_the_zip(request, as_user, user_fixture):
    client = as_user(request.getfixturevalue(user_fixture))
    for name in SECTIONS[1:]:
        assert client.get(reverse(f"reporting:{name}")).status_code == 403
    assert client.get(ALL).status_code == 403
    assert client.post(ALL, {"justification": "x"}).status_code == 403
