"""`manage.py backup --out FILE`: the whole database and every uploaded file in one archive.

The archive is a gzip-compressed tar file holding

- `manifest.json`: format version, time, Django version, the database it came from, the
  applied migrations and the number of rows per model (restore checks both);
- `data.json`: every row of every installed app, in Django's serialisation as JSON (times
  to the microsecond), with the
  original primary keys (content types and permissions included, so guardian's object
  permissions and the audit trail's generic references keep pointing at the right rows);
  sessions are left out, so everyone logs in again after a restore;
- `media/…`: every file a FileField refers to (the applications' attachments), read
  through the storage, so it works for a local MEDIA_ROOT and an object store alike.

It is the same for SQLite and PostgreSQL, and a backup from one restores into the other.
The rows are read in one transaction (on PostgreSQL a repeatable-read snapshot), so a
backup taken while people work is consistent. `manage.py restore FILE` reads it back.
"""

import datetime as dt
import io
import json
import os
import tarfile
import tempfile
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "kvalitetsutmarkelse-backup/1"
# Apps whose rows are not worth keeping: a restored platform starts without sessions.
EXCLUDED_APPS = {"sessions"}


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds; a backup keeps every microsecond."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete model whose rows the backup holds (auto-created many-to-many tables
    travel with the model that declares them)."""
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in EXCLUDED_APPS
        and not model._meta.proxy
        and model._meta.managed
        and not model._meta.swapped
    ]


def model_label(model) -> str:
    return model._meta.label_lower


def row_counts(using=DEFAULT_DB_ALIAS) -> dict[str, int]:
    counts = {}
    for model in backed_up_models():
        counts[model_label(model)] = model._base_manager.using(using).count()
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if through._meta.auto_created:
                counts[model_label(through)] = through._base_manager.using(using).count()
    return counts


def refresh_statistics(using: str = DEFAULT_DB_ALIAS) -> None:
    """Have the database's query planner count the rows again, after a bulk load (a
    restore, a generated load). PostgreSQL's autovacuum does it too, but only after a
    while; until then the planner believes the tables are nearly empty and can pick plans
    that take minutes (nested loops over the consolidated view's score aggregates)."""
    with connections[using].cursor() as cursor:
        cursor.execute("ANALYZE")


def applied_migrations(using=DEFAULT_DB_ALIAS) -> list[list[str]]:
    recorder = MigrationRecorder(connections[using])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def file_fields(model) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _rows(using):
    for model in backed_up_models():
        yield from model._base_manager.using(using).order_by("pk").iterator(chunk_size=2000)


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def write_backup(path: Path, *, using=DEFAULT_DB_ALIAS, stderr=None) -> dict:
    """Write the archive to `path` (atomically: a temporary file renamed at the end) and
    return its manifest."""
    connection = connections[using]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".backup-", suffix=".tar.gz", dir=path.parent)
    os.close(fd)
    # Nested in a caller's transaction (as in tests) the isolation level is the caller's.
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    try:
        with transaction.atomic(using=using):
            if snapshot:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            data = json.dumps(
                serializers.serialize("python", _rows(using)), cls=ExactJSONEncoder, ensure_ascii=False
            )
            files, missing = [], []
            for model in backed_up_models():
                for field in file_fields(model):
                    names = (
                        model._base_manager.using(using)
                        .exclude(**{field.attname: ""})
                        .values_list(field.attname, flat=True)
                    )
                    for name in names:
                        files.append((field.storage, name))
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "django": django.get_version(),
                "database": connection.vendor,
                "migrations": applied_migrations(using),
                "counts": row_counts(using),
            }
        with tarfile.open(tmp_name, "w:gz") as archive:
            _add_bytes(archive, "data.json", data.encode("utf-8"))
            stored = []
            for storage, name in sorted(set(files), key=lambda pair: pair[1]):
                if not storage.exists(name):
                    missing.append(name)
                    continue
                with storage.open(name, "rb") as handle:
                    _add_bytes(archive, f"media/{name}", handle.read())
                stored.append(name)
            manifest["files"] = stored
            manifest["missing_files"] = missing
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode("utf-8"))
        os.chmod(tmp_name, 0o600)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    if missing and stderr is not None:
        stderr.write(
            f"Varning: {len(missing)} filer som databasen hänvisar till saknas och kom inte med: "
            + ", ".join(missing)
        )
    return manifest


def default_path() -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.BASE_DIR) / "var" / "backups" / f"kvalitetsutmarkelse-{stamp}.tar.gz"


class Command(BaseCommand):
    help = (
        "Säkerhetskopierar hela databasen (SQLite eller PostgreSQL) och alla uppladdade filer till "
        "en .tar.gz-fil: manifest.json (migreringar, antal rader per modell), data.json (alla rader "
        "med sina id:n, Djangos JSON-format; sessioner ingår inte) och media/ (bilagorna). "
        "Återställs med `manage.py restore FIL`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out",
            metavar="FIL",
            help="Arkivet som skrivs (standard: var/backups/kvalitetsutmarkelse-DATUM-TID.tar.gz).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Databasalias (standard: default).")

    def handle(self, *args, out=None, database=DEFAULT_DB_ALIAS, **options):
        path = Path(out) if out else default_path()
        if path.is_dir():
            raise CommandError(f"{path} är en katalog; ange en fil.")
        manifest = write_backup(path, using=database, stderr=self.stderr)
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Säkerhetskopia skriven till {path}: {rows} rader, {len(manifest['files'])} filer."
            )
        )
