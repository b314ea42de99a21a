import time

import pytest

from cautions.models import Case
from demo import historic as demo
from hub.models import ReoffenceRecord
from reporting.selectors import reoffending_report
from tests.reporting.builders import d

pytestmark = pytest.mark.django_db


def test_demo_data_is_deterministic_quick_idempotent_and_realistic():
    assert demo.generate() == demo.generate()
    started = time.perf_counter()
    demo.seed(None)
    assert time.perf_counter() - started < 5
    counts = (Case.objects.count(), ReoffenceRecord.objects.count())
    demo.seed(None)
    assert (Case.objects.count(), ReoffenceRecord.objects.count()) == counts
    report = reoffending_report(date_from=demo.START, date_to=demo.END, as_of=d("2025-01-01"))
    assert 250 <= report["cohort_size"] <= 350
    assert 0.78 <= report["compliance"]["rate"] <= 0.9
    assert 0.18 <= report["binary_rate"] <= 0.32
