"""The cycle's log on its page says in Swedish what happened (issue 12): every action the
services record on a cycle has a Swedish name, and the recorded details are shown by name,
not as the raw action and keys of the audit trail."""

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from award import audit, services
from tests.support import factories

pytestmark = pytest.mark.django_db


def test_every_action_a_cycle_log_can_show_has_a_swedish_name():
    # What the services record on a cycle (the phases, the committee, the team proposal).
    for action in [
        "cycle.open",
        "cycle.timeline_set",
        "cycle.phase_extended",
        "committee.member_add",
        "committee.conflict",
        "committee.meeting",
        "team.propose",
        "team.delete",
        "import.add",
    ]:
        assert audit.action_label(action) != action


def test_cycle_page_names_each_event_and_its_details_in_swedish(client, slk):
    draft = factories.complete_cycle(year=2040)
    judge = factories.UserFactory(first_name="Dana", last_name="Domare", username="dana")
    new_end = draft.site_visits_end + dt.timedelta(days=2)
    services.cycle_timeline_set(
        cycle=draft, dates={"site_visits_end": new_end}, reason="Fler platsbesök", by=slk
    )
    membership = services.committee_member_add(cycle=draft, user=judge, by=slk)
    services.committee_chair_set(membership=membership, is_chair=True, by=slk)
    services.committee_member_remove(membership=membership, by=slk)
    client.force_login(slk)

    content = html.unescape(client.get(reverse("award:cycle_detail", args=[2040])).content.decode())

    log = content[content.index("Ändringar av omgången") :]
    for label in [
        "Tidplanen ändrades före öppnandet",
        "Ledamot tillsattes i domarkommittén",
        "Domarkommitténs ordförande ändrades",
        "Ledamot togs bort ur domarkommittén",
    ]:
        assert f"<td>{label}</td>" in log
    assert f"Platsbesök till: {date_format(new_end - dt.timedelta(days=2))} → {date_format(new_end)}" in log
    assert "Ledamot: dana<br>Ordförande: nej → ja" in log
    assert "Ledamot: dana<br>Ordförande: ja" in log
    for raw in ["cycle.timeline_set", "committee.", "site_visits_end", "member:", "chair"]:
        assert raw not in log


def test_the_details_are_listed_in_one_order_whatever_order_the_database_keeps():
    # PostgreSQL's jsonb returns "chair" before "member"; SQLite returns them as written.
    assert audit.cycle_change_lines({"chair": True, "member": "dana"}) == ["Ledamot: dana", "Ordförande: ja"]
    assert audit.cycle_change_lines({"feedback_release": ["2040-01-02", "2040-01-03"], "member": "x"})[0] == (
        "Återföringsrapporter släpps: 2 januari 2040 → 3 januari 2040"
    )


def test_an_action_without_a_name_is_shown_as_recorded():
    assert audit.action_label("something.new") == "something.new"
    assert audit.cycle_change_lines({"teams": 3, "unplaced": ["K1", "K2"]}) == [
        "Antal lag: 3",
        "Bidrag utan lag: K1, K2",
    ]
