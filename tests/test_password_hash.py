"""The password hash is Argon2id with OWASP's parameters (config/hashers.py), and a hash
made before (PBKDF2) is replaced by it at the next successful login."""

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password

from config import settings as project_settings
from tests.support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS


def test_a_new_password_is_hashed_with_argon2id_and_owasps_parameters(production_hashers):
    encoded = make_password("ett långt lösenord")
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password("ett långt lösenord", encoded)
    assert not check_password("fel lösenord", encoded)


@pytest.mark.parametrize("old", ["pbkdf2_sha256", "argon2"])
def test_an_older_hash_still_logs_in_and_is_upgraded(production_hashers, old):
    user = factories.UserFactory()
    hasher = "django.contrib.auth.hashers.PBKDF2PasswordHasher" if old == "pbkdf2_sha256" else None
    if hasher:
        user.password = make_password("gammalt lösenord", hasher="pbkdf2_sha256")
    else:  # Argon2 with Django's own (heavier) parameters
        from django.contrib.auth.hashers import Argon2PasswordHasher

        user.password = Argon2PasswordHasher().encode("gammalt lösenord", Argon2PasswordHasher().salt())
    user.save(update_fields=["password"])
    assert identify_hasher(user.password).algorithm == old

    assert user.check_password("gammalt lösenord")  # what a login does

    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.check_password("gammalt lösenord")
