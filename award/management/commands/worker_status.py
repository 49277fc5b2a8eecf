"""Is a worker alive? Prints each worker's last heartbeat and the outbox's counts; exits 1
when no worker has beaten within three ticks (for a monitoring check)."""

import sys

from django.core.management.base import BaseCommand

from award import queries


class Command(BaseCommand):
    help = "Shows the workers' heartbeats and the outbox; exit code 1 when no worker is alive."

    def handle(self, *args, **options):
        workers = queries.workers()
        for worker in workers:
            state = "alive" if worker.alive else "silent"
            self.stdout.write(f"{worker.worker_id}: {state}, last seen {worker.last_seen:%Y-%m-%d %H:%M:%S}")
        counts = queries.outbox_counts()
        self.stdout.write("outbox: " + ", ".join(f"{status} {n}" for status, n in counts.items()))
        if not any(worker.alive for worker in workers):
            self.stderr.write("No worker is alive: start `manage.py run_worker`.")
            sys.exit(1)
