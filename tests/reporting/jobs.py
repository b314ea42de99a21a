"""Uploading a file as a user does, and running its job as the worker would."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse

from reporting.tasks import run_import_job

IMPORT = reverse("reporting:import")


def job_id(response) -> int:
    return resolve(response.url).kwargs["pk"]


def upload(client, kind: str, content: bytes | str, name: str = "file.csv"):
    """Post the file, run its queued job (the task's own function) and return the job's page;
    the upload page itself when it refused the file."""
    if isinstance(content, str):
        content = content.encode()
    file = SimpleUploadedFile(name, content, "text/csv")
    response = client.post(IMPORT, {"kind": kind, "file": file})
    if response.status_code != 302:
        return response
    run_import_job.call(job_id(response))
    return client.get(response.url)
