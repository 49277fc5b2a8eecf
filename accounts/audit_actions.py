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
