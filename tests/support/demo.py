"""Running the demo seed from tests. The `seeded`, `current` and `previous` fixtures in
tests/conftest.py give every test that asks one seeded database, SHARED_SEED, built once
per test run (per xdist worker that runs them, and they all run on one)."""

import io
from contextlib import ExitStack

from django.core.management import call_command
from django.db import connection, transaction
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


class SharedSeed:
    """The demo seed, built once for every test that asks for it (the `seeded` fixture).

    Seeding takes seconds (ten on SQLite, twenty on PostgreSQL), so it is built once per
    test run and no test module seeds on its own: `pytest_collection_modifyitems` puts
    every test that uses it first, one after another, in one xdist group (one worker runs
    them all, from the start, while the other shares out the rest); the first of them opens
    a transaction and seeds, each test's own transaction nests inside it, and after the
    last of them it is rolled back, so no other test ever sees the demo data."""

    def __init__(self):
        self.stack: ExitStack | None = None
        self.output = ""
        self.on_commit = 0  # callbacks (mail) the seed left waiting for a commit

    def open(self, django_db_blocker) -> str:
        if self.stack is None:
            stack = ExitStack()
            stack.enter_context(django_db_blocker.unblock())
            stack.enter_context(override_settings(DEBUG=True, PASSWORD_HASHERS=FAST_HASHERS))
            stack.enter_context(transaction.atomic())
            try:
                before = len(connection.run_on_commit)
                self.output = seed_demo()
                self.on_commit = len(connection.run_on_commit) - before
            except BaseException:
                stack.close()
                raise
            self.stack = stack
        return self.output

    def close(self) -> None:
        if self.stack is not None:
            transaction.set_rollback(True)
            stack, self.stack = self.stack, None
            stack.close()


SHARED_SEED = SharedSeed()
