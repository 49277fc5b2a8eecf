"""`manage.py restore FILE`: read back an archive written by `manage.py backup`.

The target is a migrated database of the same program version (its applied migrations
must be the backup's). It must hold no data beyond what `migrate` creates (content types,
permissions and the role groups); otherwise restore refuses unless `--force`, which
replaces everything. The database is emptied and every row loaded with its original
primary key in one transaction: if anything fails, nothing changes. Sequences are reset,
foreign keys checked, and the number of rows per model compared with the backup's
manifest. The uploaded files are written back through the storage afterwards.
"""

import json
import tarfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from award.management.commands.backup import FORMAT, applied_migrations, refresh_statistics, row_counts

# What a freshly migrated database already holds: these do not count as data.
MIGRATE_CREATES = {ContentType, Permission, Group, Group.permissions.through}


def rows_present(using=DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Rows that only people put there (everything but what `migrate` creates), per model."""
    present = {}
    for model in apps.get_models(include_auto_created=True):
        if model in MIGRATE_CREATES or model._meta.proxy or not model._meta.managed:
            continue
        count = model._base_manager.using(using).count()
        if count:
            present[model._meta.label_lower] = count
    return present


def read_archive(path: Path) -> tuple[dict, str, dict[str, bytes]]:
    """(manifest, data.json text, {file name: content}) from a backup archive."""
    if not path.is_file():
        raise CommandError(f"Filen {path} finns inte.")
    manifest = data = None
    files = {}
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in archive:
                if not member.isfile():
                    continue
                name = PurePosixPath(member.name)
                if name.is_absolute() or ".." in name.parts:
                    raise CommandError(f"Arkivet innehåller en otillåten sökväg: {member.name}")
                content = archive.extractfile(member).read()
                if member.name == "manifest.json":
                    manifest = json.loads(content)
                elif member.name == "data.json":
                    data = content.decode("utf-8")
                elif name.parts[0] == "media" and len(name.parts) > 1:
                    files[str(PurePosixPath(*name.parts[1:]))] = content
    except (tarfile.TarError, OSError, EOFError, ValueError) as error:
        raise CommandError(f"{path} är ingen läsbar säkerhetskopia: {error}") from error
    if not manifest or manifest.get("format") != FORMAT or data is None:
        raise CommandError(f"{path} är ingen säkerhetskopia från `manage.py backup`.")
    return manifest, data, files


def load(manifest: dict, data: str, *, using=DEFAULT_DB_ALIAS) -> int:
    """Empty the database and load the rows, in one transaction. Returns the row count."""
    connection = connections[using]
    with transaction.atomic(using=using):
        # PostgreSQL refuses to TRUNCATE a table with deferred foreign-key checks pending in
        # the transaction (rows written earlier in it, as with --force in a caller's
        # transaction): run those checks now.
        connection.check_constraints()
        connection.ops.execute_sql_flush(sql_flush(no_style(), connection, reset_sequences=True))
        loaded_models = set()
        objects = 0
        with connection.constraint_checks_disabled():
            for obj in serializers.deserialize("python", json.loads(data), using=using):
                obj.save(using=using)
                loaded_models.add(type(obj.object))
                objects += 1
        models = list(loaded_models)
        for model in list(models):
            models.extend(
                f.remote_field.through
                for f in model._meta.local_many_to_many
                if f.remote_field.through._meta.auto_created
            )
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        connection.check_constraints(table_names=[m._meta.db_table for m in models])
        counts = row_counts(using)
        wrong = {
            label: (expected, counts.get(label, 0))
            for label, expected in manifest["counts"].items()
            if counts.get(label, 0) != expected
        }
        if wrong:
            details = ", ".join(
                f"{label}: {got} av {expected}" for label, (expected, got) in sorted(wrong.items())
            )
            raise CommandError(f"Återställningen blev inte fullständig ({details}); ingenting har ändrats.")
    ContentType.objects.clear_cache()
    return objects


def restore_files(files: dict[str, bytes], storage=default_storage) -> int:
    for name, content in sorted(files.items()):
        if storage.exists(name):
            storage.delete(name)
        saved = storage.save(name, ContentFile(content))
        if saved != name:
            raise CommandError(f"Filen {name} kunde inte skrivas tillbaka under samma namn (blev {saved}).")
    return len(files)


class Command(BaseCommand):
    help = (
        "Återställer en säkerhetskopia från `manage.py backup` (.tar.gz med manifest.json, data.json "
        "och media/) till en tom, migrerad databas (SQLite eller PostgreSQL) av samma programversion: "
        "alla rader med sina id:n, i en enda transaktion, och därefter de uppladdade filerna. Vägrar om "
        "databasen redan innehåller data, om inte --force anges (då ersätts allt innehåll)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FIL", help="Säkerhetskopian (.tar.gz).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Ersätt databasens nuvarande innehåll (allt som finns raderas först).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Databasalias (standard: default).")

    def handle(self, *args, file, force=False, database=DEFAULT_DB_ALIAS, **options):
        manifest, data, files = read_archive(Path(file))
        ours = applied_migrations(database)
        theirs = manifest.get("migrations", [])
        if ours != theirs:
            only_backup = [f"{a}.{n}" for a, n in theirs if [a, n] not in ours][:5]
            only_here = [f"{a}.{n}" for a, n in ours if [a, n] not in theirs][:5]
            raise CommandError(
                "Databasens migreringar stämmer inte med säkerhetskopians. Återställ med samma version "
                "av programmet: skapa en tom databas, kör `manage.py migrate` och försök igen. "
                f"Bara i kopian: {', '.join(only_backup) or '–'}. Bara i databasen: {', '.join(only_here) or '–'}."
            )
        present = rows_present(database)
        if present and not force:
            summary = ", ".join(f"{label} ({count})" for label, count in sorted(present.items())[:8])
            raise CommandError(
                "Databasen innehåller redan data och återställningen skulle ersätta den: "
                f"{summary}. Återställ till en tom, migrerad databas, eller ange --force för att "
                "radera allt nuvarande innehåll och ersätta det med säkerhetskopian."
            )
        rows = load(manifest, data, using=database)
        refresh_statistics(database)
        written = restore_files(files)
        if manifest.get("missing_files"):
            self.stderr.write(
                f"Varning: {len(manifest['missing_files'])} filer saknades redan när kopian togs: "
                + ", ".join(manifest["missing_files"])
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Återställt från {file} (tagen {manifest.get('created_at', '?')}): {rows} objekt, {written} filer."
            )
        )
