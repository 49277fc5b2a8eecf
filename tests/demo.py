"""Running the demo seed from tests. The `seeded`, `current` and `previous` fixtures in
tests/conftest.py give a module one seeded database."""

import io

from django.core.management import call_command

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed_demo() -> str:
    """Run seed_demo; returns what it printed."""
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def model_counts(models) -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in models}
