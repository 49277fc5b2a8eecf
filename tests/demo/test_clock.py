"""The demo seed's clock (demo/clock.py) and the silence it writes history in."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.utils import timezone

from award import notify
from award.models import STOCKHOLM, AuditEntry, today
from demo.clock import Clock, stockholm
from examiners import services
from examiners.models import PoolMember
from tests.support import factories

pytestmark = pytest.mark.django_db


def test_a_service_run_at_a_moment_stamps_its_rows_and_audit_with_that_moment(slk):
    clock = Clock()
    cycle = factories.complete_cycle(open=True)
    member = factories.pool_member(cycle, status=PoolMember.Status.VOLUNTEERED)
    moment = stockholm(clock.today - dt.timedelta(days=40), 10, 15)
    member = clock.run(moment, services.pool_decide, member=member, accept=True, by=slk)
    assert member.decided_at == moment
    assert AuditEntry.objects.get(action="pool.accept").at == moment
    # Back in the present once the call is done.
    assert today() == clock.today
    assert timezone.now() > moment


def test_the_clock_refuses_the_future():
    clock = Clock()
    with pytest.raises(ValueError, match="future"), clock.at(timezone.now() + dt.timedelta(minutes=5)):
        pass


def test_a_day_is_the_day_in_stockholm():
    moment = stockholm(dt.date(2026, 3, 29), 1, 30)  # the night summer time begins
    assert moment.utcoffset() == dt.timedelta(hours=1)
    assert moment.tzinfo == STOCKHOLM


def test_silenced_services_queue_no_mail():
    with transaction.atomic():
        before = len(connection.run_on_commit)
        with notify.silenced():
            notify.mail_after_commit(
                subject="x",
                template="submissions/email/submitted.txt",
                context={},
                recipients=["a@b.example"],
            )
        assert len(connection.run_on_commit) == before
        notify.mail_after_commit(
            subject="x", template="submissions/email/submitted.txt", context={}, recipients=["a@b.example"]
        )
        assert len(connection.run_on_commit) == before + 1
        transaction.set_rollback(True)
