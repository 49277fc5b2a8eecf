"""E-mail sent by the services. Mail leaves only after the transaction commits, so a
rolled-back change never announces itself."""

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string


def mail_after_commit(*, subject: str, template: str, context: dict, recipients) -> None:
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return
    body = render_to_string(template, context)
    transaction.on_commit(
        partial(send_mail, str(subject), body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)
    )
