"""Small helpers the apps' views share."""

from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from award.versioning import StaleEdit


def refusal_messages(error: ValidationError | PermissionDenied) -> list[str]:
    """What a service's refusal says, one message each."""
    if isinstance(error, PermissionDenied):
        return [str(error) or _("Du har inte behörighet att göra detta.")]
    return error.messages


class ServiceCall:
    """What became of the service call made in a `service_call` block."""

    def __init__(self):
        self.error: ValidationError | PermissionDenied | None = None

    @property
    def refused(self) -> bool:
        return self.error is not None

    @property
    def stale(self):
        """The row as someone else saved it, when the refusal was a stale edit; else None."""
        return self.error.current if isinstance(self.error, StaleEdit) else None


@contextmanager
def service_call(request, *, form=None, success: str = ""):
    """The one way a view calls a service and shows its refusal.

        with service_call(request, success=_("Laget är fastställt.")):
            services.team_confirm(team=team, by=request.user)
        return redirect("examiners:team_detail", pk=team.pk)

    A refusal raised in the block (ValidationError or PermissionDenied) ends the block and
    nothing more of it runs. It is shown above `form` when one is given (the view renders
    the page again with what the user wrote), otherwise as messages (the view redirects).
    A stale edit (`award.versioning.StaleEdit`) is always a message: the page that shows
    both texts builds its form again on the saved version, which `outcome.stale` holds.
    `success` becomes a message when the block finished; what needs the service's result
    (a message naming it, the redirect) goes in the block after the call:

        with service_call(request, form=form) as outcome:
            session = form.save(by=request.user)
            messages.success(request, _("Utbildningen %(title)s är skapad.") % {"title": session.title})
            return redirect("examiners:session_roster", pk=session.pk)
        # only a refusal gets here
    """
    outcome = ServiceCall()
    try:
        yield outcome
    except (ValidationError, PermissionDenied) as error:
        outcome.error = error
        for message in refusal_messages(error):
            if form is not None and not isinstance(error, StaleEdit):
                form.add_error(None, message)
            else:
                messages.error(request, message)
    else:
        if success:
            messages.success(request, success)


def flash_form_errors(request, form) -> None:
    """Show a form's errors as messages, for forms posted from a page that redirects back."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def query_with(request, **changes) -> str:
    """The current query string with some parameters changed (None or "" removes one)."""
    params = request.GET.copy()
    for name, new in changes.items():
        if new in (None, ""):
            params.pop(name, None)
        else:
            params[name] = new
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def page_links(request, page, param: str = "sida") -> dict:
    """What `includes/pagination.html` needs for a page of a Django `Paginator`: links to
    the previous and next page and to the pages around the current one (the rest elided),
    each keeping the other parameters of the query string (sorting, filters)."""
    paginator = page.paginator
    numbers = paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return {
        "page": page,
        "previous_url": query_with(request, **{param: page.previous_page_number()})
        if page.has_previous()
        else "",
        "next_url": query_with(request, **{param: page.next_page_number()}) if page.has_next() else "",
        "pages": [
            {"number": n, "url": query_with(request, **{param: n}), "current": n == page.number}
            if n != paginator.ELLIPSIS
            else {"ellipsis": True}
            for n in numbers
        ],
    }
