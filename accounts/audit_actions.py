"""The actions the accounts app records in the audit trail, with their Swedish names."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    INVITATION_SEND = "invitation.send", _("Inbjudan skickades")
    INVITATION_ACCEPT = "invitation.accept", _("Inbjudan accepterades")
    INVITATION_REVOKE = "invitation.revoke", _("Inbjudan återkallades")
    INVITATION_RENEWAL_ASKED = "invitation.renewal_asked", _("En ny inbjudan begärdes")
    PASSWORD_RESET_ASKED = "password.reset_asked", _("Återställning av lösenord begärdes")
    TWO_FACTOR_ENABLE = "two_factor.enable", _("Tvåstegsverifiering slogs på")
    TWO_FACTOR_DISABLE = "two_factor.disable", _("Tvåstegsverifiering slogs av")
    TWO_FACTOR_RECOVERY_USED = "two_factor.recovery_used", _("En reservkod användes")
    PERSON_DEACTIVATE = "person.deactivate", _("Kontot stängdes av")
    PERSON_REACTIVATE = "person.reactivate", _("Kontot aktiverades igen")
    ROLE_GRANT = "role.grant", _("Roll tilldelades")
    ROLE_REMOVE = "role.remove", _("Roll togs bort")
    VOLUNTEER_REQUEST_SUBMIT = "volunteer_request.submit", _("Intresseanmälan utan konto skickades")
    VOLUNTEER_REQUEST_CONFIRM = "volunteer_request.confirm", _("Intresseanmälans e-post bekräftades")
    VOLUNTEER_REQUEST_ACCEPT = "volunteer_request.accept", _("Intresseanmälan antogs; konto skapades")
    VOLUNTEER_REQUEST_DECLINE = "volunteer_request.decline", _("Intresseanmälan avslogs")
    ROLE_REQUEST_SUBMIT = "role_request.submit", _("Roll begärdes vid inloggning med stadens konto")
    ROLE_REQUEST_APPROVE = "role_request.approve", _("Begäran om roll godkändes")
    ROLE_REQUEST_DECLINE = "role_request.decline", _("Begäran om roll avslogs")
