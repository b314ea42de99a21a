"""The proven reoffending measure: every boundary of DOMAIN.md's exact definitions."""

import datetime as dt

import pytest
from django.db import connection

from cautions import report_masks
from cautions.models import Case
from hub.lib.dates import add_months
from hub.models import ConditionType, NeedPathway
from hub.models.reference import REPORT_BITS
from reporting.report_sql import (
    Dialect,
    ReportFilters,
    add_months_sql_function,
    last_date_complete_by,
    report_statement,
)
from reporting.selectors import quarter_windows, reoffending_report
from tests.reporting.builders import FAR_FUTURE, caution, d, person, reoffence

pytestmark = pytest.mark.django_db


def report(date_from="2016-01-01", date_to="2016-12-31", as_of=FAR_FUTURE, **kwargs):
    return reoffending_report(
        date_from=d(date_from),
        date_to=d(date_to),
        as_of=d(as_of) if isinstance(as_of, str) else as_of,
        **kwargs,
    )


def one_person_with(offence, proven, index="2016-03-15"):
    who = person()
    caution(who, index)
    reoffence(who, offence, proven)
    return report()


@pytest.mark.parametrize(
    ("offence", "proven", "counted"),
    [
        ("2016-03-15", "2016-04-01", False),  # on the index date
        ("2016-03-16", "2016-04-01", True),  # the day after
        ("2017-03-15", "2017-04-01", True),  # exactly 12 months
        ("2017-03-16", "2017-04-01", False),  # 12 months and a day
        ("2017-03-01", "2017-09-15", True),  # proven exactly at 18 months
        ("2017-03-01", "2017-09-16", False),  # proven 18 months and a day after
        ("2016-03-01", "2016-06-01", False),  # before the index, proven after it
    ],
)
def test_reoffence_window_boundaries(offence, proven, counted):
    result = one_person_with(offence, proven)
    assert result["cohort_size"] == 1
    assert result["reoffenders"] == (1 if counted else 0)
    assert result["reoffences"] == (1 if counted else 0)


def test_month_end_clamping_from_31_august():
    # Index 2016-08-31: follow-up ends 2017-08-31; waiting period ends 2018-02-28.
    who = person()
    caution(who, "2016-08-31")
    reoffence(who, "2017-08-31", "2018-02-28")  # both exactly on the boundaries: counts
    reoffence(who, "2017-09-01", "2017-10-01")  # a day after the follow-up: no
    reoffence(who, "2017-08-30", "2018-03-01")  # proven a day after the waiting: no
    result = report()
    assert (result["reoffenders"], result["reoffences"]) == (1, 1)
    # Complete exactly when index + 18 months <= as_of.
    assert report(as_of="2018-02-28")["cohort_size"] == 1
    assert report(as_of="2018-02-27")["pending_follow_up"] == 1


def test_month_end_clamping_from_29_february():
    # Index 2016-02-29 + 12 months = 2017-02-28; + 18 months = 2017-08-29.
    who = person()
    caution(who, "2016-02-29")
    reoffence(who, "2017-02-28", "2017-08-29")
    other = person()
    caution(other, "2016-02-29")
    reoffence(other, "2017-03-01", "2017-03-10")
    result = report()
    assert (result["cohort_size"], result["reoffenders"]) == (2, 1)


def test_add_months_in_the_database_clamps_like_python():
    sql = Dialect(connection.vendor)
    cases = [
        ("2017-01-31", 1, "2017-02-28"),
        ("2016-01-31", 1, "2016-02-29"),
        ("2016-08-31", 12, "2017-08-31"),
        ("2016-08-31", 18, "2018-02-28"),
        ("2016-02-29", 12, "2017-02-28"),
    ]
    with connection.cursor() as cursor:
        for start, months, expected in cases:
            cursor.execute(f"SELECT {sql.add_months('%s', months)}", [sql.param(d(start))])
            value = cursor.fetchone()[0]
            assert str(value)[:10] == expected
            assert add_months_sql_function(start, months) == expected


def test_several_cautions_index_is_the_earliest_in_the_window_and_person_counts_once():
    who = person()
    caution(who, "2015-12-01")  # before the window: not the index
    caution(who, "2016-05-01", district="Fenland")
    caution(who, "2016-02-01", district="Cambridge")  # earliest in the window: the index
    reoffence(who, "2016-04-01", "2016-05-01")  # after the index (and before a later caution)
    result = report()
    assert result["cohort_size"] == 1
    assert result["cautions_given"] == 2
    assert result["reoffenders"] == 1
    # The person is in the group of their index caution only...
    districts = {g["group"]: g["people"] for g in result["breakdowns"]["district"]}
    assert districts == {"Cambridge": 1, "Fenland": 0}
    # ...while compliance counts both cautions in the window, by their own district.
    compliance = {g["group"]: g["compliance"]["cautions"] for g in result["breakdowns"]["district"]}
    assert compliance == {"Cambridge": 1, "Fenland": 1}


def test_pending_follow_up_is_reported_apart_and_not_in_the_rate():
    done, pending = person(), person()
    caution(done, "2016-01-10")
    caution(pending, "2016-12-10")
    reoffence(pending, "2017-01-10", "2017-02-10")
    result = report(as_of="2017-12-31")  # 2016-01-10 + 18 months = 2017-07-10 <= as_of
    assert result["people"] == 2
    assert result["cohort_size"] == 1
    assert result["pending_follow_up"] == 1
    assert result["reoffenders"] == 0
    assert result["binary_rate"] == 0.0
    # The survival curve includes the pending person: their event on day 31 counts.
    km = result["time_to_first_reoffence"]
    assert km["km"] == [[31, pytest.approx(0.5)]]
    assert km["median_days"] == 31


def test_rates_and_nulls():
    empty = report()
    assert empty["cohort_size"] == 0
    assert empty["binary_rate"] is None
    assert empty["binary_rate_ci95"] is None
    assert empty["reoffences_per_offender"] is None
    assert empty["reoffences_per_reoffender"] is None
    assert empty["compliance"] == {"complied": 0, "failed": 0, "rate": None}

    people = [person() for _ in range(4)]
    for who in people:
        caution(who, "2016-06-01")
    reoffence(people[0], "2016-07-01", "2016-08-01")
    reoffence(people[0], "2016-09-01", "2016-10-01", category="fraud")
    reoffence(people[1], "2016-07-01", "2016-08-01")
    result = report()
    assert result["binary_rate"] == 0.5
    assert result["reoffences_per_offender"] == 0.75
    assert result["reoffences_per_reoffender"] == 1.5
    low, high = result["binary_rate_ci95"]
    assert low < 0.5 < high


def test_only_imported_records_count_and_unlinked_records_match_by_pnc_id():
    who, other = person(), person()
    caution(who, "2016-03-01")
    caution(who, "2016-09-01")  # a later hub case is not a reoffence
    caution(other, "2016-03-01")
    reoffence(other, "2016-05-01", "2016-06-01", link=False)  # not linked yet
    result = report()
    assert result["reoffenders"] == 1
    assert result["cohort_size"] == 2


def test_anonymised_person_still_counts_through_the_link():
    who = person()
    caution(who, "2016-03-01", age=40)
    record = reoffence(who, "2016-05-01", "2016-06-01")
    who.pnc_id = None
    who.date_of_birth = None
    who.anonymised_at = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    who.save()
    record.person_ref = None
    record.save()
    result = report()
    assert result["reoffenders"] == 1
    assert [g["group"] for g in result["breakdowns"]["age_band"]] == ["35-49"]


def test_compliance_counts_complied_and_failed_only():
    for status in ["complied", "complied", "complied", "failed", "failed_nfa"]:
        caution(person(), "2016-05-01", status=status)
    caution(person(), "2016-05-01", status="prosecution_resumed")
    caution(person(), "2016-05-01", status="active")
    caution(person(), "2016-05-01", status="withdrawn")
    result = report()
    assert result["cautions_given"] == 8
    assert result["compliance"] == {"complied": 3, "failed": 3, "rate": 0.5}


def test_breakdowns_use_the_index_caution_and_count_many_to_many_groups():
    a = person(sex="female", ethnicity="B2")
    caution(
        a,
        "2016-02-01",
        category="theft",
        condition_types=("housing", "anger_management", "victim_awareness"),
        needs=("health",),
        age=24,
    )
    b = person(sex="male", ethnicity="NS")
    caution(b, "2016-02-01", condition_types=("debt",), age=50)
    reoffence(a, "2016-03-01", "2016-04-01")
    result = report()
    groups = {
        dim: {g["group"]: (g["cohort_size"], g["reoffenders"]) for g in rows}
        for dim, rows in result["breakdowns"].items()
    }
    assert groups["condition_type"] == {
        "housing": (1, 1),
        "anger_management": (1, 1),
        "victim_awareness": (1, 1),
        "debt": (1, 0),
    }
    # Two condition types on one pathway count the person once; assessed needs count too.
    assert groups["need_pathway"] == {
        "accommodation": (1, 1),
        "health": (1, 1),
        "finance_benefit_debt": (1, 0),
        "attitudes_thinking_behaviour": (1, 1),
    }
    assert groups["age_band"] == {"18-24": (1, 1), "50+": (1, 0)}
    assert groups["sex"] == {"female": (1, 1), "male": (1, 0)}
    assert groups["ethnicity_group"] == {"Black": (1, 1), "Not stated": (1, 0)}
    assert groups["offence_category"] == {"theft": (1, 1), "shoplifting": (1, 0)}


def many_to_many_cases():
    """Cautions whose condition types and needs share pathways, for the mask breakdowns."""
    a, b, c = person(), person(), person()
    # Two types on one pathway (attitudes), and an assessed need on a type's pathway
    # (accommodation, also housing's): each pathway counts a caution once.
    caution(
        a,
        "2016-02-01",
        status="failed",
        condition_types=("housing", "anger_management", "victim_awareness", "housing"),
        needs=("accommodation", "health"),
    )
    # a's second caution: not the index, so only the compliance counts see it.
    caution(a, "2016-06-01", condition_types=("debt", "unpaid_work"), needs=("health",))
    # Pathways from needs only, and a type without a pathway.
    caution(b, "2016-03-01", condition_types=("apology_letter",), needs=("health", "drugs_alcohol"))
    caution(c, "2016-04-01", condition_types=(), needs=())  # neither: in no group
    reoffence(a, "2016-03-01", "2016-04-01")
    reoffence(b, "2016-05-01", "2016-06-01")


def test_many_to_many_groups_count_each_caution_once_per_type_and_pathway():
    many_to_many_cases()
    result = report()
    groups = {
        dim: {
            g["group"]: (g["people"], g["reoffenders"], g["compliance"]["cautions"])
            for g in result["breakdowns"][dim]
        }
        for dim in ("condition_type", "need_pathway")
    }
    assert groups["condition_type"] == {
        "housing": (1, 1, 1),
        "anger_management": (1, 1, 1),
        "victim_awareness": (1, 1, 1),
        "debt": (0, 0, 1),
        "unpaid_work": (0, 0, 1),
        "apology_letter": (1, 1, 1),
    }
    assert groups["need_pathway"] == {
        "accommodation": (1, 1, 1),
        "attitudes_thinking_behaviour": (1, 1, 1),
        "health": (2, 2, 3),
        "finance_benefit_debt": (0, 0, 1),
        "drugs_alcohol": (1, 1, 1),
    }
    failed = {g["group"]: g["compliance"]["failed"] for g in result["breakdowns"]["need_pathway"]}
    assert failed["accommodation"] == 1
    assert failed["health"] == 1


def test_many_to_many_groups_do_not_depend_on_which_bit_each_group_has():
    # The cases' masks hold each type's and pathway's report bit: give them other bits (the
    # highest there are, in the reverse order of their ids), recompute the masks, and
    # expect the same report.
    many_to_many_cases()
    expected = report(quarters=True, all_groups=True)
    for model in (ConditionType, NeedPathway):
        ids = list(model.objects.order_by("-id").values_list("id", flat=True))
        for place, pk in enumerate(ids):  # out of the way first: the bits are unique
            model.objects.filter(pk=pk).update(report_bit=REPORT_BITS - 1 - place)
    report_masks.refresh()
    assert Case.objects.filter(condition_types_mask__lt=0).count() == 0
    assert Case.objects.filter(condition_types_mask__gte=1 << (REPORT_BITS - 10)).count() > 0
    assert report(quarters=True, all_groups=True) == expected


def test_quarters_must_tile_the_window():
    with pytest.raises(ValueError, match="tile"):
        report_statement(
            [(d("2016-01-01"), d("2016-12-31")), (d("2016-01-01"), d("2016-06-30"))],
            FAR_FUTURE,
            ReportFilters(),
            connection.vendor,
        )


@pytest.mark.parametrize("as_of", ["2018-02-28", "2018-03-01", "2020-02-29", "2018-08-31"])
def test_last_date_complete_by_is_the_last_index_date_followed_up(as_of):
    as_of = d(as_of)
    last = last_date_complete_by(as_of, 18)
    assert add_months(last, 18) <= as_of
    assert add_months(last + dt.timedelta(days=1), 18) > as_of


def test_filters_select_people_by_their_index_caution():
    from hub.models import District

    a, b = person(), person()
    caution(a, "2016-02-01", district="Fenland")
    caution(b, "2016-02-01", district="Cambridge")
    caution(b, "2016-06-01", district="Fenland")  # not b's index caution
    fenland = District.objects.get(name="Fenland")
    result = report(filters=ReportFilters(district_id=fenland.pk))
    assert result["people"] == 1
    assert result["cautions_given"] == 2  # compliance: every Fenland caution


def test_kaplan_meier_matches_the_binary_rate_when_everyone_is_complete():
    people = [person() for _ in range(5)]
    for who in people:
        caution(who, "2016-01-01")
    reoffence(people[0], "2016-01-11", "2016-02-01")  # day 10
    reoffence(people[1], "2016-01-11", "2016-02-01")  # day 10
    reoffence(people[1], "2016-01-05", "2016-02-01")  # earlier offence: day 4 is the event
    reoffence(people[2], "2016-07-01", "2016-08-01")  # day 182
    result = report()
    km = result["time_to_first_reoffence"]
    # At risk 5: day 4 -> 4/5; day 10 -> 4/5 x 3/4 = 3/5; day 182 -> 3/5 x 2/3 = 2/5.
    assert km["km"] == [
        [4, pytest.approx(0.8)],
        [10, pytest.approx(0.6)],
        [182, pytest.approx(0.4)],
    ]
    assert km["median_days"] == 182
    assert 1 - km["km"][-1][1] == pytest.approx(result["binary_rate"])


def test_kaplan_meier_counts_events_and_censoring_of_the_filtered_index_people():
    from hub.models import District

    def who_with(index, district, offence=None, proven=None):
        who = person()
        caution(who, index, district=district)
        if offence:
            reoffence(who, offence, proven)
        return who

    who_with("2016-03-01", "Fenland", "2016-03-11", "2016-04-01")  # event on day 10
    who_with("2016-03-01", "Fenland")  # same index date, censored at as_of: day 122
    who_with("2016-03-01", "Cambridge", "2016-03-06", "2016-04-01")  # day 5, not Fenland
    who_with("2016-06-01", "Fenland", "2016-06-21", "2016-06-25")  # day 20, none censored
    who_with("2016-08-01", "Fenland")  # index after as_of: censored at 0
    who_with("2016-04-01", "Fenland", "2016-05-01", "2016-08-01")  # proven after as_of: 91
    # Index caution in Cambridge; the later Fenland caution is the index of its quarter
    # only, so its reoffence (day 100 from the index) is no event of a Fenland person.
    later = who_with("2016-02-01", "Cambridge", "2016-05-11", "2016-05-20")
    caution(later, "2016-05-01", district="Fenland")

    fenland = District.objects.get(name="Fenland")
    filtered = report(as_of="2016-07-01", quarters=True, filters=ReportFilters(fenland.pk))
    km = filtered["time_to_first_reoffence"]
    # At risk 5, less 1 censored at 0: day 10 -> 3/4; day 20 -> 3/4 x 2/3 = 1/2.
    assert (km["people"], km["events"]) == (5, 2)
    assert km["km"] == [[10, pytest.approx(0.75)], [20, pytest.approx(0.5)]]

    km = report(as_of="2016-07-01", quarters=True)["time_to_first_reoffence"]
    # At risk 7, less 1 at 0: day 5 -> 5/6; 10 -> 4/6; 20 -> 1/2; 91 censored; 100 -> 1/4.
    assert (km["people"], km["events"]) == (7, 4)
    assert km["km"] == [
        [5, pytest.approx(5 / 6)],
        [10, pytest.approx(4 / 6)],
        [20, pytest.approx(0.5)],
        [100, pytest.approx(0.25)],
    ]


def test_quarters_are_three_month_windows():
    assert quarter_windows(d("2016-09-01"), d("2017-02-15")) == [
        (d("2016-09-01"), d("2016-11-30")),
        (d("2016-12-01"), d("2017-02-15")),
    ]
    who = person()
    caution(who, "2016-02-01")
    caution(who, "2016-05-01")
    result = report(quarters=True)
    assert [q["people"] for q in result["quarters"]] == [1, 1, 0, 0]


def test_a_quarter_counts_from_its_own_index_caution():
    who = person()
    caution(who, "2016-02-01")
    caution(who, "2016-05-01", category="theft")  # the index of the second quarter only
    reoffence(who, "2016-04-01", "2016-04-15")  # before the second quarter's index
    reoffence(who, "2016-06-01", "2016-07-01")
    result = report(quarters=True)
    assert result["reoffences"] == 2
    assert [(q["people"], q["reoffences"]) for q in result["quarters"]] == [
        (1, 2),
        (1, 1),
        (0, 0),
        (0, 0),
    ]
    # A filter selecting the later caution keeps only the second quarter's person.
    from hub.models import OffenceCategory

    theft = OffenceCategory.objects.get(key="theft")
    filtered = report(quarters=True, filters=ReportFilters(category_id=theft.pk))
    assert filtered["people"] == 0
    assert filtered["cautions_given"] == 1
    assert [(q["people"], q["reoffences"]) for q in filtered["quarters"]] == [
        (0, 0),
        (1, 1),
        (0, 0),
        (0, 0),
    ]
