"""E-mail sent by the services. Mail leaves only after the transaction commits, so a
rolled-back change never announces itself."""

import contextvars
from contextlib import contextmanager
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

_silenced = contextvars.ContextVar("award_mail_silenced", default=False)


@contextmanager
def silenced():
    """Inside, the services queue no mail: for a command that writes past events through
    them (the demo seed), whose messages would belong to days long gone."""
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


def mail_after_commit(*, subject: str, template: str, context: dict, recipients) -> None:
    recipients = sorted({r for r in recipients if r})
    if not recipients or _silenced.get():
        return
    body = render_to_string(template, context)
    transaction.on_commit(
        partial(send_mail, str(subject), body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
    )
