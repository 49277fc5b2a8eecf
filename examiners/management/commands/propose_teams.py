"""Propose examiner teams for a cycle from the command line: the same function as the
"Skapa nytt förslag" button on the teams page."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from award.models import AwardCycle
from examiners import queries, services
from submissions.models import Application


class Command(BaseCommand):
    help = (
        "Föreslår examinatorslag för omgångens inskickade bidrag utan lag. Med --dry-run visas "
        "förslaget utan att något sparas; annars sparas det som lagförslag (utkast) som SLK "
        "granskar och fastställer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, help="Omgångens år, t.ex. 2026.")
        parser.add_argument("--dry-run", action="store_true", help="Visa förslaget utan att spara.")
        parser.add_argument("--user", help="Användarnamn på den SLK-administratör som sparar förslaget.")

    def handle(self, *args, cycle, dry_run, user, **options):
        try:
            award_cycle = AwardCycle.objects.get(year=cycle)
        except AwardCycle.DoesNotExist as error:
            raise CommandError(f"Det finns ingen omgång {cycle}.") from error
        proposal = queries.proposal_make(award_cycle)
        names = {c.id: c.name for c in queries.proposal_inputs(award_cycle)[0]}
        codes = dict(Application.objects.filter(track__cycle=award_cycle).values_list("pk", "code"))
        for team in proposal.teams:
            self.stdout.write(f"{team.name}: {', '.join(codes[pk] for pk in team.entry_ids)}")
            for pk in team.member_ids:
                role = " (lagledare)" if pk == team.leader_id else ""
                self.stdout.write(f"  {names[pk]}{role}")
            for reason in team.reasons:
                self.stdout.write(f"  – {reason}")
        for pk, reason in sorted(proposal.unplaced.items(), key=lambda item: codes[item[0]]):
            self.stdout.write(f"Kan inte placeras: {codes[pk]}: {reason}")
        for warning in proposal.warnings:
            self.stdout.write(f"Obs: {warning}")
        if dry_run:
            self.stdout.write("Torrkörning: ingenting sparades.")
            return
        if not user:
            raise CommandError("Ange --user med en SLK-administratörs användarnamn, eller --dry-run.")
        try:
            by = get_user_model().objects.get(username=user)
            teams = services.proposal_apply(cycle=award_cycle, by=by)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"Det finns ingen användare {user}.") from error
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"{len(teams)} lagförslag sparade. Fastställ dem på lagsidan."))
