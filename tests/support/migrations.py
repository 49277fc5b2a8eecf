"""The test databases are made straight from the models (pytest --no-migrations,
pyproject.toml). These make such a database look migrated, as every real one is, and
rebuild one through the migrations themselves (tests/judging/test_move_migration.py)."""

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings


def with_migrations():
    """The project's own migration modules again (pytest-django's --no-migrations says
    "none" for every app, through settings.MIGRATION_MODULES)."""
    return override_settings(MIGRATION_MODULES={})


def record_every_migration() -> None:
    """Record every migration as applied, as on a database migrated to the latest state:
    `backup` writes that record into its manifest and `restore` compares it."""
    with with_migrations():
        nodes = MigrationLoader(connection).graph.nodes
    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    applied = recorder.applied_migrations()
    recorder.migration_qs.bulk_create(
        recorder.Migration(app=app, name=name) for app, name in nodes if (app, name) not in applied
    )


def drop_every_table() -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if connection.vendor == "postgresql":
            cursor.execute("DROP TABLE " + ", ".join(map(quote, tables)) + " CASCADE")
        else:
            with connection.constraint_checks_disabled():
                for table in tables:
                    cursor.execute(f"DROP TABLE {quote(table)}")


def rebuild_through_the_migrations() -> None:
    """Drop every table and run every migration from an empty database, as a fresh
    installation does. The tables it leaves are the ones the models make, and the record of
    migrations is full, as on every test database. When a migration fails, the database is
    made from the models again before the failure is raised, so the tests after it on this
    process meet their tables and not a cascade of "no such table"."""
    drop_every_table()
    try:
        with with_migrations():
            call_command("migrate", verbosity=0)
    except BaseException:
        drop_every_table()
        call_command("migrate", run_syncdb=True, verbosity=0)
        record_every_migration()
        raise
    finally:
        ContentType.objects.clear_cache()  # the content types were made anew
