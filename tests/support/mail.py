"""E-mail back ends for the outbox's tests. `Flaky`: an SMTP server that can be taken down
and brought back: while `Flaky.down` is true every send raises, as smtplib does when the
server is unreachable; otherwise it delivers to django.core.mail.outbox like the locmem
back end. `Slow`: a server that takes a moment per message, so two workers' sends overlap,
and counts every message it was handed, from any thread (`Slow.sent`)."""

import smtplib
import threading
import time

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend

BACKEND = "tests.support.mail.Flaky"
SLOW_BACKEND = "tests.support.mail.Slow"


class Flaky(EmailBackend):
    down = False

    def send_messages(self, messages):
        if Flaky.down:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class Slow(BaseEmailBackend):
    sent: list = []
    delay = 0.005
    _lock = threading.Lock()

    def send_messages(self, messages):
        time.sleep(Slow.delay)
        with Slow._lock:
            Slow.sent.extend(messages)
        return len(messages)
