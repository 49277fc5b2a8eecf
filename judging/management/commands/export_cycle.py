"""Write a cycle's export to a file: the same sheets as the committee's export page."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from award.models import AwardCycle
from judging import exports as exports_cycle


class Command(BaseCommand):
    help = (
        "Exporterar en omgångs poäng och beslut (flikarna Sammanfattning, Examinatorer, Konsensus och "
        "Beslut). --out FIL.xlsx skriver en Excel-arbetsbok; --out FIL.zip skriver en CSV-fil per flik i "
        "en zip-fil; --out KATALOG (en befintlig katalog) skriver en CSV-fil per flik i katalogen "
        "(sammanfattning.csv, examinatorer.csv, konsensus.csv, beslut.csv; befintliga filer skrivs över). "
        "CSV-filerna är semikolonseparerade UTF-8 med decimalkomma."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, metavar="ÅR", help="Omgångens år.")
        parser.add_argument(
            "--out",
            type=Path,
            required=True,
            metavar="FIL",
            help="FIL.xlsx, FIL.zip eller en befintlig katalog.",
        )

    def handle(self, *args, cycle, out, **options):
        try:
            award_cycle = AwardCycle.objects.get(year=cycle)
        except AwardCycle.DoesNotExist:
            raise CommandError(f"Det finns ingen omgång {cycle}.") from None
        if out.is_dir():
            for path in exports_cycle.write_csv_directory(award_cycle, out, named=True):
                self.stdout.write(f"Skrev {path}")
            return
        suffix = out.suffix.lower()
        if suffix not in (".xlsx", ".zip"):
            raise CommandError(
                f"Vet inte hur {out} ska skrivas: ange en fil som slutar på .xlsx eller .zip, eller en "
                "befintlig katalog för CSV-filer."
            )
        if not out.parent.is_dir():
            raise CommandError(f"Katalogen {out.parent} finns inte.")
        if suffix == ".xlsx":
            exports_cycle.write_xlsx(award_cycle, out, named=True)
        else:
            exports_cycle.write_csv_zip(award_cycle, out, named=True)
        self.stdout.write(f"Skrev {out}")
