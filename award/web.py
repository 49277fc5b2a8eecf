"""Small helpers the apps' views share."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def refusal_messages(error: ValidationError | PermissionDenied) -> list[str]:
    """What a service's refusal says, one message each."""
    if isinstance(error, PermissionDenied):
        return [str(error) or _("Du har inte behörighet att göra detta.")]
    return error.messages


def flash_errors(request, error: ValidationError | PermissionDenied) -> None:
    """Show each message of a service's refusal to the user."""
    for message in refusal_messages(error):
        messages.error(request, message)


def add_refusal(form, error: ValidationError | PermissionDenied) -> None:
    """Show a service's refusal above a form that is rendered again."""
    for message in refusal_messages(error):
        form.add_error(None, message)


def flash_form_errors(request, form) -> None:
    """Show a form's errors as messages, for forms posted from a page that redirects back."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def attempt(request, action, success: str = "") -> bool:
    """Run a service call; show its refusal (or `success`) as a message. True if it ran."""
    try:
        action()
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
        return False
    if success:
        messages.success(request, success)
    return True


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
