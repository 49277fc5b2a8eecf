import pytest

from award.roles import Role
from tests import factories


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
