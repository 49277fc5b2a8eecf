"""Long work in the background, with progress: the cycle export, the cycle report PDF,
bulk notices. An app registers a kind of job in its `ready()`:

    from award import jobs
    jobs.register("judging.cycle_export", make_export, may_start=lambda user, params: ...)

`make_export(job, progress)` does the work, calls `progress(done, total)` now and then, and
returns `(filename, content_type, data)` (data: bytes, or None for a job that makes no
file). `award.services.job_start` records the job and queues it; the worker runs it
(`run`); the page polls the job's status (htmx) and offers the file, kept
AWARD_JOB_FILE_HOURS (a day) and then removed by the scheduler's tick (`cleanup`)."""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from award.models import BackgroundJob

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Kind:
    func: Callable
    may_start: Callable
    label: str


_kinds: dict[str, Kind] = {}


def register(name: str, func: Callable, *, may_start: Callable, label: str = "") -> None:
    _kinds[name] = Kind(func=func, may_start=may_start, label=label or name)


def kind(name: str) -> Kind | None:
    return _kinds.get(name)


def kinds() -> dict[str, Kind]:
    return dict(_kinds)


def for_cycle(year: int):
    """The cycle's jobs still kept, newest first (what SLK's page lists)."""
    return BackgroundJob.objects.filter(params__year=year).select_related("requested_by")[:20]


def run(job_id: int) -> str:
    """Run one queued job (the worker's task). A job another worker already took is left
    alone (one conditional UPDATE queued -> running)."""
    if not BackgroundJob.objects.filter(pk=job_id, status=BackgroundJob.Status.QUEUED).update(
        status=BackgroundJob.Status.RUNNING
    ):
        return "taken"
    job = BackgroundJob.objects.get(pk=job_id)
    registered = _kinds.get(job.kind)

    def progress(done: int, total: int) -> None:
        BackgroundJob.objects.filter(pk=job.pk).update(done=max(done, 0), total=max(total, 0))

    try:
        if registered is None:
            raise LookupError(f"no job kind {job.kind!r}")
        filename, content_type, data = registered.func(job, progress)
    except Exception as error:
        logger.exception("Background job %s (%s) failed", job.pk, job.kind)
        BackgroundJob.objects.filter(pk=job.pk).update(
            status=BackgroundJob.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        return "failed"
    now = timezone.now()
    job.refresh_from_db()
    if data is not None:
        job.file.save(f"{job.pk}-{filename}", ContentFile(data), save=False)
    job.filename = filename or ""
    job.content_type = content_type or ""
    job.status = BackgroundJob.Status.DONE
    job.done = job.total = max(job.total, job.done, 1)
    job.finished_at = now
    job.expires_at = now + dt.timedelta(hours=settings.JOB_FILE_HOURS)
    job.save(
        update_fields=[
            "file",
            "filename",
            "content_type",
            "status",
            "done",
            "total",
            "finished_at",
            "expires_at",
        ]
    )
    return "done"


def cleanup(*, today=None, now: dt.datetime | None = None) -> int:
    """Remove the files (and the records) of jobs past their day."""
    now = now or timezone.now()
    removed = 0
    for job in BackgroundJob.objects.expired(now):
        if job.file:
            job.file.delete(save=False)
        job.delete()
        removed += 1
    return removed
