"""E-mail sent by the services, through the durable outbox (award/outbox.py): the e-mail is
stored in the service's own transaction and sent by the worker after it commits, so a
rolled-back change never announces itself and an SMTP outage loses nothing."""

import contextvars
from contextlib import contextmanager

from award import outbox

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


def is_silenced() -> bool:
    return _silenced.get()


def mail_after_commit(
    *,
    subject: str,
    template: str,
    context: dict,
    recipients,
    key: str | None = None,
    reason: str = "",
    related=None,
) -> None:
    """One e-mail per recipient into the outbox (see award.outbox.queue for `key`)."""
    if _silenced.get():
        return
    outbox.queue(
        recipients=recipients,
        subject=subject,
        template=template,
        context=context,
        key=key,
        reason=reason or str(subject),
        related=related,
    )
