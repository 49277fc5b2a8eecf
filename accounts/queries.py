"""Read helpers of the accounts app."""

from django.utils.translation import gettext as _

from accounts.models import Invitation, token_digest


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("unit", "invited_by").filter(token_hash=token_digest(token)).first()
    )


def invitation_problem(invitation: Invitation | None, user=None) -> str:
    """Why this link cannot be used by this person (empty when it can): unknown, used,
    revoked, expired, or meant for another address than the logged-in person's."""
    if invitation is None:
        return _("Länken är inte giltig. Kontrollera att du har kopierat hela adressen.")
    if invitation.is_accepted:
        return _(
            "Inbjudan är redan använd. Logga in med ditt konto, eller be stadsledningskontoret om en ny inbjudan."
        )
    if invitation.is_revoked:
        return _("Inbjudan är återkallad.")
    if invitation.is_expired:
        return _("Inbjudan gällde till %(date)s och har gått ut.") % {
            "date": invitation.expires_at.date().isoformat()
        }
    if (
        user is not None
        and user.is_authenticated
        and (user.email or "").casefold() != invitation.email.casefold()
    ):
        return _(
            "Inbjudan gäller %(email)s, men du är inloggad som %(user)s. Logga ut och öppna länken igen."
        ) % {"email": invitation.email, "user": user.get_username()}
    return ""
