"""The committee's and the evaluation's models moved from scoring to their own apps without
moving data: a database from before the move migrates and shows the same rows, the audit
trail still points at them, and the one column that pointed up the chain (the meeting that
chose a site visit) is carried over. Migrating back gives the old layout again."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from award.models import AuditEntry
from judging import services as judging_services
from judging.models import Decision, DecisionOutcome, Meeting, SiteVisitChoice
from scoring.models import Consensus
from tests.support import migrations
from tests.support.decisions import final_meeting, winner
from tests.support.teams import confirmed_team, finalise

BEFORE = [
    ("scoring", "0004_committee_meetings_questionnaires_protect_their_cycle"),
    ("judging", None),
    ("evaluation", None),
]


@pytest.fixture(autouse=True)
def _built_by_the_migrations(transactional_db, settings):
    """The test database rebuilt by every migration from nothing, as a fresh installation
    builds it, on SQLite and on PostgreSQL alike (tests/support/migrations.py).

    The rest of the suite runs on tables made straight from the models (pytest
    --no-migrations, pyproject.toml), which spares each test process about five seconds;
    tests/test_migrations.py and `make check` hold the models and the migrations together.
    This test needs the migrations' own history, and is the suite's check that they run
    from an empty database. A test of a new data migration belongs here, beside it."""
    settings.MIGRATION_MODULES = {}  # for the test's own MigrationExecutor
    migrations.rebuild_through_the_migrations()


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_every_row(cycle, quality, slk, committee):
    _team, members, (application,) = confirmed_team(cycle, quality, slk)
    finalise(application, members, [50, 50, 60, 60], 55)
    shortlisting = judging_services.meeting_record(
        cycle=cycle,
        kind=Meeting.Kind.SHORTLISTING,
        date=cycle.first_committee_meeting,
        present=committee.values(),
        by=slk,
    )
    judging_services.site_visits_choose(meeting=shortlisting, applications=[application], by=slk)
    visit = application.site_visit
    visit.status = visit.Status.DONE
    visit.save(update_fields=["status"])
    decision = judging_services.decision_save(
        meeting=final_meeting(cycle, committee, slk),
        track=quality,
        competition_class=application.competition_class,
        no_award=False,
        rationale="Bäst",
        outcomes=[winner(application)],
        by=committee["chair"],
    )
    judging_services.decision_sign(decision=decision, by=committee["chair"])
    counts = {m: m.objects.count() for m in (Meeting, Decision, DecisionOutcome, SiteVisitChoice)}
    audited = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Decision)).count()
    assert audited and Consensus.objects.get(application=application).is_locked

    try:
        old = _migrate(BEFORE)
        # The old layout: scoring owns the tables and the content types, and the site visit
        # names its meeting itself.
        assert old.get_model("scoring", "Decision").objects.count() == counts[Decision]
        assert old.get_model("scoring", "SiteVisit").objects.get(pk=visit.pk).meeting_id == shortlisting.pk
        assert ContentType.objects.filter(app_label="scoring", model="decision").exists()
        assert not ContentType.objects.filter(app_label="judging", model="decision").exists()
    finally:
        _migrate(_latest())
    ContentType.objects.clear_cache()

    assert {m: m.objects.count() for m in counts} == counts
    assert SiteVisitChoice.objects.get(site_visit=visit).meeting_id == shortlisting.pk
    decision_type = ContentType.objects.get_for_model(Decision)
    assert decision_type.app_label == "judging"
    assert AuditEntry.objects.filter(content_type=decision_type).count() == audited
    assert Consensus.objects.get(application=application).is_locked
