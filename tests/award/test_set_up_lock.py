"""A cycle's set-up in the admin (issue 12): once the cycle is open its tracks, classes,
criteria and scale are read-only there, inlines too and superusers included, with a note
saying why (scores and totals already computed rest on the weights and levels); nothing
new is added to them, by form or by import. A draft's set-up stays editable."""

import html

import pytest
from django.urls import reverse

from award.models import AwardCycle, CompetitionClass, Criterion, ScaleBand, ScoringScale, Track
from award.resources import CriterionResource
from tests.support import factories
from tests.support.admin import admin_post_data
from tests.support.imports import CRITERION_HEADERS, dataset, messages_of

pytestmark = pytest.mark.django_db

NOTE = "är öppnad, så dess tävlingsspår, tävlingsklasser, kriterier och bedömningsskala kan inte ändras här längre"


@pytest.fixture(params=["slk", "superuser"])
def admin_user(request, slk):
    if request.param == "slk":
        return slk
    return factories.UserFactory(username="root", is_staff=True, is_superuser=True)


def _change_url(obj):
    return reverse(f"admin:award_{obj._meta.model_name}_change", args=[obj.pk])


def _set_ups(cycle):
    track = cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    return {
        "track": track,
        "criterion": track.criteria.order_by("number").first(),
        "class": track.classes.first(),
        "scale": cycle.scale,
    }


def _content(response):
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("kind", ["track", "criterion", "class", "scale"])
def test_an_open_cycles_set_up_is_read_only_with_the_reason(client, admin_user, kind):
    cycle = factories.complete_cycle(year=2040, open=True)
    obj = _set_ups(cycle)[kind]
    client.force_login(admin_user)

    response = client.get(_change_url(obj))

    assert response.status_code == 200
    assert f"Omgången 2040 {NOTE}" in _content(response)
    assert response.context["adminform"].form.fields == {}
    for inline in response.context["inline_admin_formsets"]:
        assert not (inline.has_add_permission or inline.has_change_permission or inline.has_delete_permission)
    assert 'name="_save"' not in response.content.decode()
    assert client.post(_change_url(obj), {}).status_code == 403


def test_posting_an_open_cycles_criterion_changes_nothing(client, admin_user):
    draft = factories.complete_cycle(year=2040)
    criterion = _set_ups(draft)["criterion"]
    client.force_login(admin_user)
    data = admin_post_data(client.get(_change_url(criterion)))
    AwardCycle.objects.filter(pk=draft.pk).update(status=AwardCycle.Status.OPEN)
    data["weight"] = str(criterion.weight + 50)

    assert client.post(_change_url(criterion), data).status_code == 403

    weight = criterion.weight
    criterion.refresh_from_db()
    assert criterion.weight == weight


@pytest.mark.parametrize("kind", ["track", "criterion", "class", "scale"])
def test_a_drafts_set_up_stays_editable(client, admin_user, kind):
    draft = factories.complete_cycle(year=2040)
    obj = _set_ups(draft)[kind]
    client.force_login(admin_user)

    response = client.get(_change_url(obj))

    assert response.status_code == 200
    assert NOTE not in _content(response)
    assert response.context["adminform"].form.fields
    assert 'name="_save"' in response.content.decode()
    for inline in response.context["inline_admin_formsets"]:
        assert inline.has_add_permission and inline.has_change_permission and inline.has_delete_permission


def test_a_drafts_criterion_weight_is_changed_in_the_admin(client, admin_user):
    draft = factories.complete_cycle(year=2040)
    criterion = _set_ups(draft)["criterion"]
    client.force_login(admin_user)
    data = admin_post_data(client.get(_change_url(criterion)))
    data["weight"] = str(criterion.weight + 50)

    assert client.post(_change_url(criterion), data).status_code == 302

    criterion.refresh_from_db()
    assert data["weight"] == str(criterion.weight)


def test_an_open_cycles_page_shows_its_tracks_read_only_and_its_settings_editable(client, admin_user):
    cycle = factories.complete_cycle(year=2040, open=True)
    client.force_login(admin_user)

    response = client.get(reverse("admin:award_awardcycle_change", args=[cycle.pk]))

    assert f"Omgången 2040 {NOTE}" in _content(response)
    (tracks,) = response.context["inline_admin_formsets"]
    assert not (tracks.has_add_permission or tracks.has_change_permission or tracks.has_delete_permission)
    assert "discussion_threshold" in response.context["adminform"].form.fields

    data = admin_post_data(response)
    data["discussion_threshold"] = "30"
    data["tracks-0-name"] = "Nytt namn"
    assert client.post(reverse("admin:award_awardcycle_change", args=[cycle.pk]), data).status_code == 302
    cycle.refresh_from_db()
    assert cycle.discussion_threshold == 30
    assert "Nytt namn" not in set(cycle.tracks.values_list("name", flat=True))


def test_a_drafts_page_edits_its_tracks(client, admin_user):
    draft = factories.complete_cycle(year=2040)
    client.force_login(admin_user)

    response = client.get(reverse("admin:award_awardcycle_change", args=[draft.pk]))

    assert NOTE not in _content(response)
    (tracks,) = response.context["inline_admin_formsets"]
    assert tracks.has_add_permission and tracks.has_change_permission and tracks.has_delete_permission


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (Track, "cycle"),
        (CompetitionClass, "track"),
        (Criterion, "track"),
        (ScoringScale, "cycle"),
        (ScaleBand, None),
    ],
)
def test_new_set_up_can_only_join_a_draft(client, admin_user, model, field):
    opened = factories.complete_cycle(year=2040, open=True)
    draft = factories.complete_cycle(year=2041)
    client.force_login(admin_user)
    if field is None:
        # Bands are added on their scale's page only.
        response = client.get(_change_url(opened.scale))
        (bands,) = response.context["inline_admin_formsets"]
        assert not bands.has_add_permission
        return

    response = client.get(reverse(f"admin:award_{model._meta.model_name}_add"))

    choices = {str(label) for _value, label in response.context["adminform"].form.fields[field].choices}
    assert any("2041" in label or label == str(draft.year) for label in choices)
    assert not any("2040" in label for label in choices)


def test_importing_criteria_into_an_open_cycle_is_refused(db):
    cycle = factories.complete_cycle(year=2040, open=True)
    criterion = _set_ups(cycle)["criterion"]
    rows = [[2040, "quality_award", criterion.number, "Ny rubrik", "approach", 999, 6000, "", ""]]

    result = CriterionResource().import_data(dataset(CRITERION_HEADERS, rows), dry_run=False)

    assert any(
        "Omgången 2040 är öppnad: dess kriterier kan inte ändras eller läggas till" in m
        for m in messages_of(result)
    ), messages_of(result)
    criterion.refresh_from_db()
    assert criterion.title != "Ny rubrik"


def test_an_export_with_an_open_cycles_rows_still_imports_a_drafts_change(db):
    factories.complete_cycle(year=2040, open=True)
    draft = factories.complete_cycle(year=2041)
    exported = CriterionResource().export()
    rows = [list(row) for row in exported]
    for row in rows:
        if row[0] == "2041" and row[1] == "quality_award" and row[2] == "1":
            row[3] = "Ny rubrik 2041"

    result = CriterionResource().import_data(dataset(exported.headers, rows), dry_run=False)

    assert not result.has_validation_errors(), messages_of(result)
    assert _set_ups(draft)["track"].criteria.get(number=1).title == "Ny rubrik 2041"
