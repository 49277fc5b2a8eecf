"""Two workers deliver the outbox at the same moment, for real (issue 15): two threads, each
with its own PostgreSQL connection, claim and send the same pending e-mails; every e-mail is
sent exactly once and every row ends sent. Runs against PostgreSQL (the SQLite test database
is one in-memory connection, where threads cannot overlap):

    scripts/with-postgres.sh .venv/bin/pytest -p no:xdist tests/award/test_outbox_concurrency.py
"""

import datetime as dt
import threading
from collections import Counter

import pytest
from django.db import connection, connections
from django.utils import timezone

from award import outbox, schedule
from award.models import OutboxMessage
from tests.support.mail import SLOW_BACKEND, Slow
from tests.support.reminders import at

pytestmark = pytest.mark.django_db(transaction=True)

COUNT = 60


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: concurrent connections (the PostgreSQL pass runs this).")


@pytest.fixture
def slow_smtp(settings):
    settings.EMAIL_BACKEND = SLOW_BACKEND
    Slow.sent = []
    yield Slow
    Slow.sent = []


def _pending(count: int) -> list[OutboxMessage]:
    """`count` e-mails waiting, committed (as after the services' transactions)."""
    now = timezone.now()
    return OutboxMessage.objects.bulk_create(
        OutboxMessage(
            key=f"event:{n}",
            recipient=f"person{n}@example.se",
            subject=f"Ämne {n}",
            body="Text",
            next_attempt_at=now,
        )
        for n in range(count)
    )


def _workers(*names: str, work=None) -> list:
    """Each named worker delivers the outbox (or does `work(name)`) in its own thread and
    connection, all starting together; returns what each reported (or raised)."""
    barrier = threading.Barrier(len(names))
    results = [None] * len(names)
    work = work or (lambda name: outbox.deliver_due(worker=name, limit=COUNT))

    def run(index, name):
        try:
            barrier.wait()
            results[index] = work(name)
        except Exception as error:  # noqa: BLE001 - the outcome is what the test looks at
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, name)) for i, name in enumerate(names)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_workers_send_every_message_exactly_once(slow_smtp):
    _pending(COUNT)

    first, second = _workers("worker-a", "worker-b")

    assert isinstance(first, dict) and isinstance(second, dict), (first, second)
    assert first["sent"] + second["sent"] == COUNT
    assert first["failed"] == second["failed"] == 0
    per_person = Counter(message.to[0] for message in slow_smtp.sent)
    assert len(per_person) == COUNT and set(per_person.values()) == {1}
    assert OutboxMessage.objects.sent().count() == COUNT
    claimed_by = set(OutboxMessage.objects.values_list("claimed_by", flat=True))
    assert claimed_by <= {"worker-a", "worker-b"}


def test_a_rerun_and_a_third_worker_send_nothing_more(slow_smtp):
    _pending(COUNT)
    _workers("worker-a", "worker-b")
    sent = len(slow_smtp.sent)

    again = _workers("worker-a", "worker-c")

    assert [result["sent"] for result in again] == [0, 0]
    assert len(slow_smtp.sent) == sent == COUNT


def test_two_workers_ticking_on_a_reminder_day_remind_each_person_once(
    slow_smtp, cycle, application, unit_contact
):
    day = cycle.application_deadline - dt.timedelta(days=7)
    with at(day):
        results = _workers("worker-a", "worker-b", work=lambda name: schedule.run_due_work(day=day))
    assert all(isinstance(result, dict) for result in results), results
    rows = OutboxMessage.objects.filter(key__startswith="reminder:application:")
    assert list(rows.values_list("recipient", flat=True)) == [unit_contact.email]
    reminders = [m for m in slow_smtp.sent if "senast" in m.subject]
    assert [m.to for m in reminders] == [[unit_contact.email]]
