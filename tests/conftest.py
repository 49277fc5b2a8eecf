import pytest
from django.db import transaction
from django.test import override_settings

from award.models import AwardCycle, today
from award.roles import Role
from tests import demo, factories


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Factories set a password on every user; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cycle(db):
    """The current, opened cycle, in its registration phase."""
    return factories.complete_cycle(open=True)


@pytest.fixture
def slk(db):
    return factories.user_with_role(Role.SLK, username="slk-admin", is_staff=True)


@pytest.fixture
def committee_member(db):
    return factories.user_with_role(Role.COMMITTEE, username="domare")


@pytest.fixture
def examiner(db):
    return factories.user_with_role(Role.EXAMINER, username="examinator")


@pytest.fixture
def unit(db):
    return factories.UnitFactory()


@pytest.fixture
def unit_contact(unit):
    user = factories.user_with_role(Role.UNIT_CONTACT, username="enhetskontakt")
    unit.contacts.add(user)
    return user


@pytest.fixture
def other_unit_contact(db):
    user = factories.user_with_role(Role.UNIT_CONTACT, username="annan-enhet")
    factories.UnitFactory().contacts.add(user)
    return user


@pytest.fixture
def role_users(slk, committee_member, examiner, unit_contact):
    """One user per role, for permission matrices."""
    return {
        Role.SLK: slk,
        Role.COMMITTEE: committee_member,
        Role.EXAMINER: examiner,
        Role.UNIT_CONTACT: unit_contact,
    }


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One demo-seeded database for the module, rolled back after its last test; each
    test's own transaction nests inside it. Returns what seed_demo printed."""
    with (
        django_db_blocker.unblock(),
        override_settings(DEBUG=True, PASSWORD_HASHERS=demo.FAST_HASHERS),
        transaction.atomic(),
    ):
        yield demo.seed_demo()
        transaction.set_rollback(True)


@pytest.fixture
def current(seeded):
    """The demo's current cycle."""
    return AwardCycle.objects.get(year=today().year)


@pytest.fixture
def previous(seeded):
    """The demo's previous, completed cycle."""
    return AwardCycle.objects.get(year=today().year - 1)
