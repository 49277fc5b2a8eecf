"""Small helpers the apps' views share."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def flash_errors(request, error: ValidationError | PermissionDenied) -> None:
    """Show each message of a service's refusal to the user."""
    if isinstance(error, PermissionDenied):
        messages.error(request, str(error) or _("Du har inte behörighet att göra detta."))
        return
    for message in error.messages:
        messages.error(request, message)


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
