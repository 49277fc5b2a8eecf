"""An e-mail back end whose SMTP server can be taken down and brought back (the outbox's
tests): while `Flaky.down` is true every send raises, as smtplib does when the server is
unreachable; otherwise it delivers to django.core.mail.outbox like the locmem back end."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend

BACKEND = "tests.support.mail.Flaky"


class Flaky(EmailBackend):
    down = False

    def send_messages(self, messages):
        if Flaky.down:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
