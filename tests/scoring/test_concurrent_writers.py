"""Two writers at once, for real: two threads with their own database connections save the
same consensus item and the same answer from the same loaded version. One wins; the other
is told, and nothing is silently overwritten. Runs against PostgreSQL (the SQLite test
database is one in-memory connection, where threads cannot overlap).
"""

import threading

import pytest
from django.db import connection, connections

from award.versioning import StaleEdit
from scoring import services as scoring_services
from submissions import services as submission_services
from submissions.models import AnswerRevision
from tests.support.applications import register
from tests.support.teams import submit_all

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: concurrent connections (the PostgreSQL pass runs this).")


def _race(*writers):
    """Run the writers at the same moment, each in its own thread and connection; returns
    what each returned or raised."""
    barrier = threading.Barrier(len(writers))
    results = [None] * len(writers)

    def run(index, writer):
        try:
            barrier.wait()
            results[index] = writer()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test looks at
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_leader_and_slk_saving_the_same_consensus_item(team_world, slk):
    submit_all(team_world)
    consensus = scoring_services.consensus_start(
        application=team_world["application"], by=team_world["leader"]
    )
    item = consensus.items.order_by("criterion__number").first()
    loaded = item.version

    def save(by, score, text):
        return lambda: scoring_services.consensus_item_save(
            item=item,
            data=scoring_services.ItemData(score, [text], []),
            discussion_note="",
            base_version=loaded,
            by=by,
        )

    results = _race(save(team_world["leader"], 50, "Ledarens text"), save(slk, 70, "SLK:s text"))
    saved = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, StaleEdit)]
    assert len(saved) == 1 and len(refused) == 1, results
    item.refresh_from_db()
    assert (item.score, item.strengths) == (saved[0].score, saved[0].strengths)
    assert item.version == loaded + 1


def test_two_unit_contacts_saving_the_same_answer(cycle, unit, unit_contact):
    from tests.support import factories

    other_contact = factories.UserFactory()
    unit.contacts.add(other_contact)
    application = register(cycle, unit, unit_contact)
    submission_services.grant_unit_access(application, [other_contact])
    answer = application.answers.order_by("criterion__number").first()

    def save(by, text):
        return lambda: submission_services.answer_save(
            application=application,
            criterion_id=answer.criterion_id,
            text=text,
            base_version=answer.version,
            by=by,
        )

    results = _race(
        save(unit_contact, "Första kontaktens text"), save(other_contact, "Andra kontaktens text")
    )
    conflicts = [r for r in results if isinstance(r, submission_services.AnswerConflict)]
    assert len(conflicts) == 1, results
    answer.refresh_from_db()
    # Both texts are kept: the winner's in the answer, the other as a conflict revision.
    kept = set(AnswerRevision.objects.filter(answer=answer).values_list("text", flat=True))
    assert {"Första kontaktens text", "Andra kontaktens text"} <= kept
    assert answer.text in {"Första kontaktens text", "Andra kontaktens text"}
