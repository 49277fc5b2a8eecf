"""The tasks the worker runs (django-tasks; `django_tasks` becomes `django.tasks` with
Django 6, unchanged otherwise). Each is small and idempotent: the work and its
exactly-once guarantees live in award/outbox.py, award/schedule.py and award/jobs.py."""

from django_tasks import task

from award import jobs, outbox, schedule


@task()
def outbox_deliver(keys: list[str] | None = None) -> dict:
    """Send the e-mails of these events (every e-mail that is due, without `keys`)."""
    return outbox.deliver_due(keys=keys)


@task()
def tick() -> dict:
    """The scheduler's periodic run: each app's dated work (reminders, notices on their
    date), then what it queued, then old files."""
    results = schedule.run_due_work()
    results["outbox"] = outbox.deliver_due()
    results["jobs.cleanup"] = jobs.cleanup()
    return {name: str(value) for name, value in results.items()}


@task()
def job_run(job_id: int) -> str:
    return jobs.run(job_id)
