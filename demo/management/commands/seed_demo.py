"""Fill a development database with the demo city, its cycles, applications and accounts.

The demo app sits at the top of the app chain so it can compose every stage's demo data:
demo.award builds the city and its cycles, and each later module (submissions, examiners,
scoring, judging) adds its part inside the one transaction, writing through the services
at the moments on the one demo.clock that demo.award.seed passes them.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import award as award_demo
from demo import examiners as examiners_demo
from demo import judging as committee_demo
from demo import learning as learning_demo
from demo import scoring as scoring_demo
from demo import submissions as submissions_demo


class Command(BaseCommand):
    help = (
        "Fyller databasen med demodata: förvaltningar, enheter, årets och förra årets omgång, "
        "anmälningar och tävlingsbidrag, och demokonton med lösenordet "
        f'"{award_demo.DEMO_PASSWORD}". Kan köras flera gånger. Kör bara med DEBUG på.'
    )

    def handle(self, *args, **options):
        # The demo accounts share a published password: they must never reach production.
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo vägrar köra när DEBUG är avstängt: "
                "demokonton får aldrig hamna i en produktionsdatabas."
            )
        award_demo.seed(
            stdout=self.stdout,
            extensions=[
                submissions_demo.seed,
                examiners_demo.seed,
                scoring_demo.seed,
                committee_demo.seed,
                learning_demo.seed,
            ],
        )
