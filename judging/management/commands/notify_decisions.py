"""Tell units and examiners about the cycle's signed decisions (a shell around
`judging_services.decisions_notify`, so a scheduler can run it on the feedback release date)."""

from django.core.management.base import BaseCommand, CommandError

from award.models import AwardCycle
from judging import services as judging_services
from judging.models import Decision


class Command(BaseCommand):
    help = (
        "Meddelar enheter och examinatorer omgångens signerade beslut, när återföringsrapporterna "
        "släpps. Varje beslut meddelas en gång."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, metavar="YEAR", help="Omgångens år")

    def handle(self, *args, cycle, **options):
        found = AwardCycle.objects.filter(year=cycle).first()
        if found is None:
            raise CommandError(f"Det finns ingen omgång {cycle}.")
        if not found.feedback_released():
            self.stdout.write(
                f"Återföringsrapporterna släpps {found.feedback_release:%Y-%m-%d}; inget har skickats."
            )
            return
        waiting = Decision.objects.signed().filter(meeting__cycle=found, notified_at__isnull=True).count()
        sent = judging_services.decisions_notify(cycle=found)
        self.stdout.write(f"{waiting} beslut meddelades; {sent} bidrag underrättades.")
