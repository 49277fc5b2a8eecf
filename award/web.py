"""Small helpers the apps' views share."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def flash_errors(request, error: ValidationError) -> None:
    """Show each message of a service's refusal to the user."""
    for message in error.messages:
        messages.error(request, message)


def attempt(request, action, success: str = "") -> bool:
    """Run a service call; show its refusal (or `success`) as a message. True if it ran."""
    try:
        action()
    except ValidationError as error:
        flash_errors(request, error)
        return False
    except PermissionDenied as error:
        messages.error(request, str(error) or _("Du har inte behörighet att göra detta."))
        return False
    if success:
        messages.success(request, success)
    return True
