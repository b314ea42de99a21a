"""Attacks on import jobs (issue 18): another user's job, crafted ids, an oversized upload,
replaying the task, and reaching the stored upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hub.models import ImportBatch, ReoffenceRecord
from reporting.import_jobs import create_job, upload_dir
from reporting.models import ImportJob
from reporting.tasks import run_import_job

pytestmark = pytest.mark.django_db

IMPORT = reverse("reporting:import")
CONTENT = b"person_ref,offence_date,proven_date,offence_category,disposal\n16/1A,2017-01-01,2017-02-01,theft,conviction\n"


def stored() -> list:
    return list(upload_dir().iterdir()) if upload_dir().exists() else []


def job_of(user) -> ImportJob:
    return create_job(kind="reoffences", upload=SimpleUploadedFile("pnc.csv", CONTENT), user=user)


def test_another_users_job_is_a_404_like_a_missing_one(as_user, officer, sergeant, caseworker):
    job = job_of(officer)
    for intruder in (sergeant, caseworker):
        client = as_user(intruder)
        assert client.get(reverse("reporting:import_job", args=[job.pk])).status_code == 404
        assert client.get(reverse("reporting:import_job", args=[job.pk + 999])).status_code == 404


@pytest.mark.parametrize("crafted", ["0", "-1", "1.5", "abc", "1%00", "99999999999999999999"])
def test_crafted_job_ids_are_not_found(as_user, analyst, crafted):
    response = as_user(analyst).get(f"/reporting/imports/{crafted}/")
    assert response.status_code == 404


def test_the_job_page_takes_no_post(as_user, analyst):
    job = job_of(analyst)
    assert as_user(analyst).post(reverse("reporting:import_job", args=[job.pk])).status_code == 405


def test_an_oversized_upload_is_refused_and_nothing_is_kept(settings, as_user, analyst):
    settings.IMPORT_MAX_BYTES = len(CONTENT) - 1
    client = as_user(analyst)
    response = client.post(
        IMPORT, {"kind": "reoffences", "file": SimpleUploadedFile("a.csv", CONTENT)}
    )
    assert response.status_code == 200
    assert "The file is larger than the limit of" in response.content.decode()
    assert ImportJob.objects.count() == 0
    assert stored() == []
    # At the limit exactly: accepted.
    settings.IMPORT_MAX_BYTES = len(CONTENT)
    response = client.post(
        IMPORT, {"kind": "reoffences", "file": SimpleUploadedFile("a.csv", CONTENT)}
    )
    assert response.status_code == 302
    assert ImportJob.objects.count() == 1


def test_a_kind_not_in_the_registry_is_refused_at_the_form(as_user, analyst):
    client = as_user(analyst)
    file = SimpleUploadedFile("a.csv", CONTENT)
    response = client.post(IMPORT, {"kind": "../../etc", "file": file})
    assert response.status_code == 200
    assert ImportJob.objects.count() == 0
    assert stored() == []


def test_an_upload_without_the_csrf_token_is_refused(client, analyst):
    from django.test import Client

    checked = Client(enforce_csrf_checks=True)
    checked.force_login(analyst)
    response = checked.post(
        IMPORT, {"kind": "reoffences", "file": SimpleUploadedFile("a.csv", CONTENT)}
    )
    assert response.status_code == 403
    assert ImportJob.objects.count() == 0
    assert stored() == []


def test_a_stored_name_cannot_be_chosen_by_the_uploader(as_user, analyst):
    client = as_user(analyst)
    file = SimpleUploadedFile("../../../../tmp/evil.csv", CONTENT)
    client.post(IMPORT, {"kind": "reoffences", "file": file})
    job = ImportJob.objects.get()
    assert "/" not in job.stored_name
    assert ".." not in job.stored_name
    assert [path.name for path in stored()] == [job.stored_name]


def test_replaying_the_task_or_a_double_submit_imports_each_file_once(as_user, analyst):
    client = as_user(analyst)
    for _ in range(2):  # the same file sent twice: two jobs, the second finds it all held
        client.post(IMPORT, {"kind": "reoffences", "file": SimpleUploadedFile("a.csv", CONTENT)})
    first, second = ImportJob.objects.order_by("pk")
    for job in (first, second, first, second):
        run_import_job.call(job.pk)
    assert ReoffenceRecord.objects.count() == 1
    assert ImportBatch.objects.count() == 2
    second.refresh_from_db()
    assert "0 reoffence records created" in second.summary


def test_the_stored_upload_is_never_served(as_user, analyst):
    job = job_of(analyst)
    client = as_user(analyst)
    for url in (
        f"/media/private/imports/{job.stored_name}",
        f"/media/{job.stored_name}",
        f"/static/../media/private/imports/{job.stored_name}",
    ):
        assert client.get(url).status_code == 404
