"""Nothing of scoring is written in the admin: assessments, consensus, site visits, feedback
reports, the committee's conflicts, meetings and decisions (with their outcomes) are
read-only there for SLK and superusers alike, and each links to the page that changes it
through the services. Being registered read-only also keeps a committee conflict from
being deleted along with its unit."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from award import services as award_services
from award.models import Unit
from judging import services as judging_services
from judging.models import CommitteeConflict, Decision, DecisionOutcome, Meeting
from scoring.models import (
    Assessment,
    AssessmentItem,
    Consensus,
    ConsensusItem,
    FeedbackItem,
    FeedbackReport,
    SiteVisit,
)
from tests.support import factories
from tests.support.teams import judged, submit_all

pytestmark = pytest.mark.django_db
SHARED_WORLD = ("cycle", "slk", "team_world")  # built once for the module (tests/support/world.py)


@pytest.fixture
def judge(cycle, slk):
    user = factories.UserFactory(username="domare-admin")
    award_services.committee_member_add(cycle=cycle, user=user, is_chair=True, by=slk)
    return user


@pytest.fixture
def world(team_world, quality, cycle, slk, judge):
    """One row of every scoring model in the admin."""
    submit_all(team_world)
    application = team_world["application"]
    decided = judged(factories.submitted_application(quality))
    SiteVisit.objects.create(application=decided, selected_by=slk)
    FeedbackReport.objects.create(application=decided, summary="Sammanfattning")
    judging_services.committee_conflict_declare(
        cycle=cycle, member=judge, target=application.unit, reason="Min bror är chef där.", by=judge
    )
    meeting = judging_services.meeting_record(
        cycle=cycle, kind=Meeting.Kind.FINAL, date=cycle.final_committee_meeting, present=[judge], by=slk
    )
    decision = Decision.objects.create(
        meeting=meeting, track=quality, competition_class=decided.competition_class, created_by=judge
    )
    DecisionOutcome.objects.create(
        decision=decision, application=decided, outcome=DecisionOutcome.Outcome.WINNER, citation="Föredömligt"
    )
    return {"application": application, "decided": decided, "cycle": cycle}


PAGES = {
    Assessment: lambda row: reverse("scoring:history", args=[row.application_id]),
    Consensus: lambda row: reverse("scoring:consensus", args=[row.application_id]),
    SiteVisit: lambda row: reverse("scoring:site_visit", args=[row.application_id]),
    FeedbackReport: lambda row: reverse("scoring:report_edit", args=[row.application_id]),
    CommitteeConflict: lambda row: reverse("judging:committee_home", args=[row.cycle.year]),
    Meeting: lambda row: reverse("judging:decisions", args=[row.cycle.year]),
    Decision: lambda row: reverse("judging:decision_detail", args=[row.pk]),
}
CHILDREN = [AssessmentItem, ConsensusItem, FeedbackItem, DecisionOutcome]


def test_every_scoring_admin_is_read_only_even_for_a_superuser(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    registered = [m for m in admin.site._registry if m._meta.app_label in ("scoring", "judging")]

    assert set(PAGES) <= set(registered)
    for model in registered:
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_change_permission(request), inline


@pytest.mark.parametrize("who", ["slk", "admin_user"])
@pytest.mark.parametrize("model", PAGES, ids=lambda m: m._meta.model_name)
def test_read_only_here_with_a_link_to_their_page(client, request, world, who, model):
    client.force_login(request.getfixturevalue(who))
    row = model.objects.first()
    name = f"{model._meta.app_label}_{model._meta.model_name}"
    change = reverse(f"admin:{name}_change", args=[row.pk])
    counts = {m: m.objects.count() for m in [*PAGES, *CHILDREN]}

    page = client.get(change)
    add = client.get(reverse(f"admin:{name}_add"))
    post = client.post(change, {"status": "draft", "reason": "Ändrat", "notes": "Ändrat", "no_award": "on"})
    delete = client.post(reverse(f"admin:{name}_delete", args=[row.pk]), {"post": "yes"})
    listing = client.get(reverse(f"admin:{name}_changelist"))

    assert (page.status_code, add.status_code, post.status_code, delete.status_code) == (200, 403, 403, 403)
    assert PAGES[model](row) in page.content.decode()
    assert "delete_selected" not in listing.content.decode()
    assert {m: m.objects.count() for m in [*PAGES, *CHILDREN]} == counts
    assert model.objects.filter(pk=row.pk).exists()


def test_a_unit_with_a_committee_conflict_is_not_deleted_with_it(client, slk, cycle, judge):
    unit = factories.UnitFactory()
    judging_services.committee_conflict_declare(
        cycle=cycle, member=judge, target=unit, reason="Jag arbetar där.", by=judge
    )
    client.force_login(slk)

    confirm = client.get(reverse("admin:award_unit_delete", args=[unit.pk]))
    response = client.post(reverse("admin:award_unit_delete", args=[unit.pk]), {"post": "yes"})

    assert "jäv i domarkommittén" in confirm.content.decode()
    assert response.status_code == 403
    assert Unit.objects.filter(pk=unit.pk).exists()
    assert CommitteeConflict.objects.filter(unit=unit).exists()
