"""Run the scheduler's tick once, now, in this process: the reminders and notices due
today, then the outbox. For a cron line instead of the worker's scheduler, or to check by
hand what the worker would do. Safe to run any number of times: nothing is sent twice."""

from django.core.management.base import BaseCommand

from award.tasks import tick


class Command(BaseCommand):
    help = "Sends the reminders and notices due today and delivers the outbox (idempotent)."

    def handle(self, *args, **options):
        results = tick.call()
        for name, value in results.items():
            self.stdout.write(f"{name}: {value}")
