"""SLK's start page counts what waits in the cycle, each number a link to the list that
shows exactly those, with a query count that does not grow with the cycle."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from award.roles import Role
from examiners import services as examiner_services
from submissions import services as submission_services
from tests.support import factories

pytestmark = pytest.mark.django_db


def _register(track, n):
    for _ in range(n):
        unit = factories.UnitFactory()
        contact = factories.user_with_role(Role.UNIT_CONTACT)
        unit.contacts.add(contact)
        submission_services.application_register(
            data=submission_services.RegistrationData(
                unit=unit,
                track=track,
                competition_class=track.classes.first(),
                head_has_full_responsibility=True,
            ),
            by=contact,
        )


def test_slk_sees_the_registrations_to_approve_with_a_link_to_them(client):
    cycle = factories.complete_cycle(open=True)
    _register(cycle.tracks.get(kind="quality_award"), 2)
    client.force_login(factories.user_with_role(Role.SLK, is_staff=True))
    html = client.get(reverse("home")).content.decode()
    assert "Väntar på dig nu" in html
    link = f"{reverse('submissions:overview')}?year={cycle.year}&amp;state=pending"
    assert (
        f'<a href="{link}"><span class="todo-count">2</span> Anmälningar som väntar på godkännande</a>'
        in html
    )
    # The link shows exactly those.
    listed = client.get(reverse("submissions:overview"), {"year": cycle.year, "state": "pending"})
    assert listed.status_code == 200


def test_nothing_to_do_is_not_listed(client):
    factories.complete_cycle(open=True)
    client.force_login(factories.user_with_role(Role.SLK, is_staff=True))
    assert "Väntar på dig nu" not in client.get(reverse("home")).content.decode()


def test_a_unit_contact_sees_no_slk_numbers(client):
    cycle = factories.complete_cycle(open=True)
    _register(cycle.tracks.get(kind="quality_award"), 1)
    client.force_login(factories.user_with_role(Role.UNIT_CONTACT))
    assert "Anmälningar som väntar på godkännande" not in client.get(reverse("home")).content.decode()


def test_the_start_pages_query_count_does_not_grow_with_the_cycle(client, django_assert_max_num_queries):
    cycle = factories.complete_cycle(open=True)
    track = cycle.tracks.get(kind="quality_award")
    _register(track, 1)
    client.force_login(factories.user_with_role(Role.SLK, is_staff=True))
    with CaptureQueriesContext(connection) as one:
        response = client.get(reverse("home"))
    assert response.status_code == 200 and '<span class="todo-count">1</span>' in response.content.decode()
    _register(track, 2)
    with django_assert_max_num_queries(len(one)):
        response = client.get(reverse("home"))
    assert response.status_code == 200 and '<span class="todo-count">3</span>' in response.content.decode()


def test_slk_sees_the_teams_short_of_members(client):
    cycle = factories.complete_cycle(open=True)
    track = cycle.tracks.get(kind="quality_award")
    slk = factories.user_with_role(Role.SLK, is_staff=True)
    full = examiner_services.team_create(cycle=cycle, track=track, name="Lag Full", by=slk)
    for i in range(4):
        examiner_services.team_member_add(
            team=full, member=factories.pool_member(cycle), leader=i == 0, by=slk
        )
    short = examiner_services.team_create(cycle=cycle, track=track, name="Lag Kort", by=slk)
    examiner_services.team_member_add(team=short, member=factories.pool_member(cycle), leader=True, by=slk)
    client.force_login(slk)

    html = client.get(reverse("home")).content.decode()

    link = reverse("examiners:teams", args=[cycle.year])
    assert f'<a href="{link}"><span class="todo-count">1</span> Lag med färre än 4 examinatorer</a>' in html
