"""The test databases are made from the models (pytest --no-migrations, pyproject.toml), so a
model changed without its migration would pass every other test; this one fails then, as
`make check` does, in any run of pytest that reaches it."""

import pytest
from django.core.management import call_command

from tests.support.migrations import with_migrations


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    with with_migrations():
        call_command("makemigrations", "--check", "--dry-run")
