"""The import pages: upload a file (imported by the worker as a job) and follow the job.

An upload is stored and queued (reporting.import_jobs); its page refreshes itself while the
job waits or runs (the Refresh header: no JavaScript needed; a link stops it), then shows the result or every bad
line. A job is seen by its uploader and by those who may import (analysts, administrators);
anyone else gets a 404, as for a job that does not exist.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_safe

from hub.models import ImportBatch
from hub.personal_data import no_personal_data
from reporting.forms import ImportForm
from reporting.import_jobs import UploadTooLarge, create_job, kind_label, read_progress
from reporting.models import ImportJob
from reporting.uploads import CappedUploadHandler

# Seconds between refreshes of a job's page while it waits or runs.
REFRESH_SECONDS = 3
RECENT = 20


def jobs_for(user):
    """The jobs `user` may see: every job if they may import, else their own uploads."""
    jobs = ImportJob.objects.select_related("uploaded_by")
    if user.has_perm("reporting.import_data"):
        return jobs
    return jobs.filter(uploaded_by=user)


@dataclass
class JobView:
    """What the job page shows, worked out here so that the template compares no status."""

    job: ImportJob
    progress: dict | None = None

    @property
    def kind_label(self) -> str:
        return kind_label(self.job.kind)

    @property
    def can_refresh(self) -> bool:
        return not self.job.is_finished

    @property
    def is_waiting(self) -> bool:
        return self.job.status == ImportJob.Status.QUEUED

    @property
    def is_running(self) -> bool:
        return self.job.status == ImportJob.Status.RUNNING

    @property
    def succeeded(self) -> bool:
        return self.job.status == ImportJob.Status.SUCCEEDED

    @property
    def failed(self) -> bool:
        return self.job.status == ImportJob.Status.FAILED

    def _count(self, key: str, field: str) -> int:
        if self.progress is not None and not self.job.is_finished:
            return int(self.progress.get(key, 0))
        return getattr(self.job, field)

    @property
    def rows_read(self) -> int:
        return self._count("rows", "rows_read")

    @property
    def bytes_read(self) -> int:
        return self._count("bytes", "bytes_read")

    @property
    def errors(self) -> int:
        return self._count("errors", "errors_so_far")

    @property
    def percent(self) -> int:
        """Share of the file read (its bytes): the rows of a file are not known until read."""
        if self.job.is_finished:
            return 100
        total = self.job.bytes_total
        return min(100, self.bytes_read * 100 // total) if total else 0

    @property
    def errors_not_listed(self) -> int:
        return max(0, self.job.errors_so_far - len(self.job.bad_lines))


@csrf_exempt  # checked by _import_page once the upload handler below is in place
@no_personal_data("uploads: import jobs, batches and their counts, no records shown")
@permission_required("reporting.import_data", raise_exception=True)
def import_data(request: HttpRequest) -> HttpResponse:
    """Upload a historic cases file or a reoffence extract, imported by the worker."""
    # Before the body is read (the CSRF check reads it): an oversized file stops arriving at
    # the limit rather than being written to a temporary file whole.
    capped = CappedUploadHandler(settings.IMPORT_MAX_BYTES, request)
    request.upload_handlers.insert(0, capped)
    return _import_page(request, capped)


@csrf_protect
def _import_page(request: HttpRequest, capped: CappedUploadHandler) -> HttpResponse:
    posted = request.method == "POST"
    form = ImportForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        too_large=posted and capped.too_large,
    )
    if posted and form.is_valid():
        try:
            job = create_job(
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                user=request.user,
            )
        except UploadTooLarge as error:
            form.add_error("file", str(error))
        else:
            return redirect("reporting:import_job", pk=job.pk)
    return render(
        request,
        "reporting/import.html",
        {
            "form": form,
            "jobs": [JobView(job) for job in jobs_for(request.user)[:RECENT]],
            "batches": ImportBatch.objects.select_related("imported_by")[:RECENT],
        },
    )


@no_personal_data("an import job: its counts and the lines refused, no records shown")
@require_safe
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """An import job's progress (refreshing itself while it runs), then its result."""
    job = jobs_for(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404("No such import job")
    view = JobView(job, read_progress(job) if not job.is_finished else None)
    refreshing = view.can_refresh and request.GET.get("refresh") != "off"
    response = render(
        request,
        "reporting/import_job.html",
        {"job": view, "refreshing": refreshing, "refresh_seconds": REFRESH_SECONDS},
    )
    if refreshing:
        # The browser reloads the page itself, without JavaScript. The Refresh header rather
        # than a <meta> element: the same behaviour, and the page has a link that stops it
        # (WCAG 2.2.1: a user can turn off a time limit; axe refuses any meta refresh).
        response["Refresh"] = str(REFRESH_SECONDS)
    return response
