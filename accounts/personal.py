"""What the accounts app holds about a person, for SLK's personal-data page: the
invitations sent to their address. Anonymising clears the invitation's name and address."""

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import Invitation
from award.personal.providers import Section, iso


class AccountsPersonalData:
    label = "accounts"
    models = (Invitation,)
    cleared = ("name", "email")

    def _invitations(self, person):
        return Invitation.objects.filter(Q(accepted_by=person) | Q(email__iexact=person.email or "-"))

    def export(self, person) -> list[Section]:
        rows = [
            {
                "name": i.name,
                "email": i.email,
                "kind": i.get_kind_display(),
                "unit": i.unit.name if i.unit else "",
                "sent": iso(i.created_at),
                "accepted": iso(i.accepted_at),
            }
            for i in self._invitations(person).select_related("unit")
        ]
        return [Section("invitations", _("Inbjudningar"), rows)]

    def refusals(self, person) -> list[str]:
        return []

    def anonymise(self, person, *, by) -> dict:
        count = self._invitations(person).update(name="", email="anonymiserad@example.invalid")
        return {"invitations_cleared": count}
