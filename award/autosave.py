"""The one autosave. A form that saves as its user types carries the attributes of
templates/includes/autosave_form.html (htmx posts it after a pause in typing and on every
change, one request at a time; static/js/autosave.js says what htmx cannot and holds the
form's own save button until an autosave under way has answered); the view
answers such a post with `autosave(...)`, which renders the status line beside the form
from templates/includes/autosave_status.html. The answer's text, the examiner's
assessment, the consensus and the feedback report all save this way.

The rules, the same for every form:

- Saved: "Sparat automatiskt HH:MM." and the row's new version, swapped out of band into
  the form's version field. Only a save moves the page's version: after a refusal the page
  must keep the version its text was written from, or its next save would overwrite a
  colleague's text unseen.
- Refused by the form (a control character, a value it cannot read): what, after the
  field's label, so the writer knows which box; the text stays in it.
- Refused by the service: its own message.
- Stale (someone saved since the page was loaded): said so, with what to do; the text
  stays, and the save button's page then shows both texts.
- A post without a readable version comes from a page too old to save from: reload.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from award.versioning import StaleEdit
from award.web import refusal_messages

STATUS_TEMPLATE = "includes/autosave_status.html"


def autosave(
    request,
    *,
    form,
    save: Callable[[], object],
    version_field: str = "version",
    stale_message: str | Callable[[object], str] = "",
):
    """The status line answering an autosave of `form` (bound to the post).

    `save` is called only when the form is valid; it calls the service with the form's
    cleaned data and returns the saved row, which has `version` and `updated_at`.
    `stale_message` is what a stale save says, a text or a function of the row as it is
    saved now; by default a general sentence."""
    field = form[version_field]
    if not form.is_valid():
        # Only a page that posts no readable version is too old; any other refusal is
        # the writer's to correct, naming the box.
        error = form.error_summary(leave_out=[version_field]) or _("Sidan behöver laddas om.")
        return _status(request, error=error)
    try:
        row = save()
    except StaleEdit as error:
        message = stale_message(error.current) if callable(stale_message) else stale_message
        return _status(
            request,
            error=message
            or _(
                "Inte sparat: någon har sparat här sedan du öppnade sidan. Din text står kvar: "
                "spara med knappen för att jämföra med den sparade versionen."
            ),
        )
    except (ValidationError, PermissionDenied) as error:
        return _status(request, error=" ".join(refusal_messages(error)))
    return _status(request, saved=row, version_name=field.html_name, version_id=field.auto_id)


def _status(request, **context):
    # Rendered without the request: the line needs nothing from it, and the context
    # processors (the user's roles among them) would cost a query on the busiest request.
    return HttpResponse(render_to_string(STATUS_TEMPLATE, context))
