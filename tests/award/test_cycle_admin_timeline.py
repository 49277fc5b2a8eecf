"""The cycle's timeline in the admin (issue 12): a draft's dates change through
`cycle_timeline_set` with a reason and an audit entry; an opened cycle's are read-only
there, with a link to the cycle's page where its phases are moved. And a team takes at
most two applications (rule R9)."""

import datetime as dt
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from award import admin as admin_module
from award import services
from award.models import AuditEntry, AwardCycle
from tests.support import factories
from tests.support.admin import admin_post_data

pytestmark = pytest.mark.django_db


def _change_url(cycle):
    return reverse("admin:award_awardcycle_change", args=[cycle.pk])


def test_admin_changes_a_drafts_timeline_through_the_service_with_reason(client, slk):
    draft = factories.complete_cycle(year=2040)
    client.force_login(slk)
    data = admin_post_data(client.get(_change_url(draft)))
    new_end = draft.site_visits_end + dt.timedelta(days=2)
    data["site_visits_end"] = new_end.isoformat()
    data["timeline_reason"] = "Fler platsbesök i år"

    response = client.post(_change_url(draft), data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.site_visits_end == new_end
    assert draft.planned_dates()["site_visits_end"] == new_end
    assert draft.planned_timeline["site_visits_end"] == new_end.isoformat()
    entry = AuditEntry.objects.get(action="cycle.timeline_set")
    assert entry.actor == slk and entry.reason == "Fler platsbesök i år"
    assert entry.changes == {
        "site_visits_end": [(new_end - dt.timedelta(days=2)).isoformat(), new_end.isoformat()]
    }


def test_admin_refuses_a_timeline_change_without_reason(client, slk):
    draft = factories.complete_cycle(year=2040)
    client.force_login(slk)
    data = admin_post_data(client.get(_change_url(draft)))
    before = draft.site_visits_end
    data["site_visits_end"] = (before + dt.timedelta(days=2)).isoformat()

    response = client.post(_change_url(draft), data)

    assert response.status_code == 200
    assert "Ange en motivering till ändringen av tidplanen." in response.content.decode()
    draft.refresh_from_db()
    assert draft.site_visits_end == before
    assert not AuditEntry.objects.filter(action="cycle.timeline_set").exists()


def test_a_cycle_opened_while_its_form_was_filled_in_refuses_on_the_form(client, slk, monkeypatch):
    draft = factories.complete_cycle(year=2040)
    client.force_login(slk)
    data = admin_post_data(client.get(_change_url(draft)))
    before = draft.site_visits_end
    data["site_visits_end"] = (before + dt.timedelta(days=2)).isoformat()
    data["timeline_reason"] = "Fler platsbesök i år"
    data["discussion_threshold"] = "25"
    clean = admin_module.AwardCycleForm.clean

    def opened_meanwhile(form):
        # Another request opens the cycle after this one has read and validated its form.
        cleaned = clean(form)
        AwardCycle.objects.filter(pk=draft.pk).update(status=AwardCycle.Status.OPEN)
        return cleaned

    monkeypatch.setattr(admin_module.AwardCycleForm, "clean", opened_meanwhile)

    response = client.post(_change_url(draft), data)

    assert response.status_code == 200
    assert "Omgången 2040 är öppnad: tidplanen ändras" in html.unescape(response.content.decode())
    draft.refresh_from_db()
    assert (draft.site_visits_end, draft.discussion_threshold) == (before, 20)
    assert not AuditEntry.objects.filter(action__in=["cycle.timeline_set", "admin.change"]).exists()


def test_admin_saves_a_drafts_settings_without_a_reason(client, slk):
    draft = factories.complete_cycle(year=2040)
    client.force_login(slk)
    data = admin_post_data(client.get(_change_url(draft)))
    data["discussion_threshold"] = "25"

    assert client.post(_change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.discussion_threshold == 25
    assert not AuditEntry.objects.filter(action="cycle.timeline_set").exists()


def test_admin_shows_an_open_cycles_timeline_read_only_with_a_link_to_its_page(client, slk, cycle):
    client.force_login(slk)
    response = client.get(_change_url(cycle))
    form = response.context["adminform"].form
    assert not {"registration_closes", "timeline_reason"} & set(form.fields)
    assert f'href="{reverse("award:cycle_detail", args=[cycle.year])}"' in response.content.decode()

    data = admin_post_data(response)
    data["registration_closes"] = (cycle.registration_closes + dt.timedelta(days=3)).isoformat()
    data["discussion_threshold"] = "30"
    before = cycle.registration_closes
    assert client.post(_change_url(cycle), data).status_code == 302

    cycle.refresh_from_db()
    assert cycle.registration_closes == before
    assert cycle.discussion_threshold == 30


def test_the_timeline_service_refuses_an_open_cycle(slk, cycle):
    with pytest.raises(ValidationError, match="omgångens sida"):
        services.cycle_timeline_set(
            cycle=cycle,
            dates={"registration_closes": cycle.registration_closes + dt.timedelta(days=1)},
            reason="Försök",
            by=slk,
        )
    assert not AuditEntry.objects.exists()


# --- At most two applications per team (rule R9) -------------------------------------------


def test_a_team_of_three_applications_is_refused(client, slk):
    draft = factories.complete_cycle(year=2040)
    draft.max_applications_per_team = 3
    with pytest.raises(ValidationError) as error:
        draft.full_clean()
    assert "max_applications_per_team" in error.value.message_dict

    client.force_login(slk)
    draft.refresh_from_db()
    data = admin_post_data(client.get(_change_url(draft)))
    data["max_applications_per_team"] = "3"
    response = client.post(_change_url(draft), data)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.max_applications_per_team == 2
