"""The background worker: django-tasks-db's `db_worker` (takes queued tasks, one worker per
task, select_for_update(skip_locked) on PostgreSQL) plus the scheduler, a thread that every
AWARD_TICK_SECONDS records this worker's heartbeat and, if no other worker has done so for
this period (award.schedule.take_slot), queues the tick (reminders, notices on their date,
the outbox's retries, clearing old files). Run as many as you like, on as many machines.

    manage.py run_worker            # what `make run` and the systemd unit start
    manage.py run_worker --batch    # run what is queued, then stop (no scheduler)"""

import logging
import os
import socket
import threading

from django.db import close_old_connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from award import schedule

logger = logging.getLogger(__name__)


def scheduler_loop(stop: threading.Event, *, worker_id: str) -> None:
    from award.tasks import tick

    host, pid = socket.gethostname(), os.getpid()
    interval = schedule.tick_interval()
    while not stop.is_set():
        try:
            close_old_connections()
            schedule.beat(worker_id=worker_id, host=host, pid=pid)
            if schedule.take_slot("tick", every=interval):
                tick.enqueue()
        except Exception:  # a locked SQLite file, a lost connection: try again next period
            logger.exception("The scheduler could not run this period")
        finally:
            close_old_connections()
        stop.wait(interval.total_seconds())


class Command(DbWorkerCommand):
    help = "Runs queued background tasks and the scheduler's tick (reminders, outbox)."

    def handle(self, *args, **options):
        stop = threading.Event()
        # With --reload (the default under DEBUG) the parent only watches files; the child,
        # which runs the tasks, runs the scheduler too.
        reloading_parent = options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if not options.get("batch") and not reloading_parent:
            worker_id = f"{socket.gethostname()}:{os.getpid()}"
            thread = threading.Thread(
                target=scheduler_loop,
                args=(stop,),
                kwargs={"worker_id": worker_id},
                daemon=True,
                name="scheduler",
            )
            thread.start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
