"""SLK sets the cycle's reminder days on the cycle's page (issue 15): a wrong value is named
beside its box, what was typed stays and nothing changes; a right one is saved and logged."""

import pytest
from django.urls import reverse

from award.models import AuditEntry

pytestmark = pytest.mark.django_db

FORM = {
    "reminders-application_reminder_days": "7,2",
    "reminders-assessment_reminder_days": "5,1",
    "reminders-consensus_reminder_days": "3,1",
    "reminders-report_reminder_days": "7,1",
    "reminders-questionnaire_send_day": "7",
    "reminders-questionnaire_reminder_days": "21,35",
}


def test_the_cycle_page_shows_the_reminder_days(client, slk, cycle):
    client.force_login(slk)
    response = client.get(reverse("award:cycle_detail", args=[cycle.year]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Påminnelser" in body and 'value="7,2"' in body and 'value="21,35"' in body
    assert reverse("scoring:assessment_deadline", args=[cycle.year]) in body


def test_slk_changes_the_days_and_it_is_logged(client, slk, cycle):
    client.force_login(slk)
    response = client.post(
        reverse("award:cycle_reminders", args=[cycle.year]),
        {**FORM, "reminders-application_reminder_days": "2, 14", "reminders-questionnaire_send_day": "3"},
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert (cycle.application_reminder_days, cycle.questionnaire_send_day) == ("14,2", 3)
    entry = AuditEntry.objects.get(action="cycle.reminders_set")
    assert entry.changes["application_reminder_days"] == ["7,2", "14,2"]


def test_a_wrong_value_is_named_and_nothing_changes(client, slk, cycle):
    client.force_login(slk)
    response = client.post(
        reverse("award:cycle_reminders", args=[cycle.year]),
        {**FORM, "reminders-assessment_reminder_days": "5,x", "reminders-consensus_reminder_days": "90"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "heltal åtskilda med kommatecken" in body and "mellan 0 och 60" in body
    assert 'value="5,x"' in body
    cycle.refresh_from_db()
    assert (cycle.assessment_reminder_days, cycle.consensus_reminder_days) == ("5,1", "3,1")
    assert not AuditEntry.objects.filter(action="cycle.reminders_set").exists()
