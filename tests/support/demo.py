"""Running the demo seed from tests. The `seeded`, `current` and `previous` fixtures in
tests/conftest.py give a module one seeded database."""

import io

from django.core.management import call_command
from django.db import connection
from django.test import override_settings

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed_demo() -> str:
    """Run seed_demo; returns what it printed."""
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def model_counts(models) -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in models}


def seed_demo_again() -> tuple[str, list[str]]:
    """Run seed_demo on an already seeded database: what it printed, and every statement
    it wrote (INSERT, UPDATE, DELETE), which should be none. Statements are watched as they
    run, not read from the connection's query log: that log keeps only the last 9,000, and
    once the first seed has filled it a capture of the second sees nothing."""
    writes = []

    def watch(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(sql)
        return execute(sql, params, many, context)

    with (
        override_settings(DEBUG=True, PASSWORD_HASHERS=FAST_HASHERS),
        connection.execute_wrapper(watch),
    ):
        output = seed_demo()
    return output, writes
