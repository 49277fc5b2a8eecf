"""What the accounts app holds about a person, for SLK's personal-data page: the
invitations sent to their address, their volunteer request (from before they had an
account) and their requests for a role. Anonymising clears names, addresses and what they
wrote."""

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import Invitation, RoleRequest, VolunteerRequest
from award.personal.providers import Section, iso


class AccountsPersonalData:
    label = "accounts"
    models = (Invitation, VolunteerRequest, RoleRequest)
    cleared = ("name", "email", "workplace", "manager_name", "message")

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
        volunteer = [
            {
                "name": r.name,
                "email": r.email,
                "workplace": r.workplace,
                "manager": r.manager_name,
                "status": r.get_status_display(),
                "sent": iso(r.created_at),
            }
            for r in self._by_address(VolunteerRequest, person)
        ]
        asked = [
            {
                "name": r.name,
                "email": r.email,
                "role": r.get_kind_display(),
                "message": r.message,
                "status": r.get_status_display(),
                "sent": iso(r.created_at),
            }
            for r in self._by_address(RoleRequest, person)
        ]
        return [
            Section("invitations", _("Inbjudningar"), rows),
            Section("volunteer_requests", _("Intresseanmälningar utan konto"), volunteer),
            Section("role_requests", _("Begäranden om roll"), asked),
        ]

    def _by_address(self, model, person):
        return model.objects.filter(Q(person=person) | Q(email__iexact=person.email or "-"))

    def refusals(self, person) -> list[str]:
        return []

    def anonymise(self, person, *, by) -> dict:
        gone = "anonymiserad@example.invalid"
        count = self._invitations(person).update(name="", email=gone)
        volunteer = self._by_address(VolunteerRequest, person).update(
            name="", email=gone, workplace="", manager_name=""
        )
        asked = self._by_address(RoleRequest, person).update(name="", email=gone, message="")
        return {
            "invitations_cleared": count,
            "volunteer_requests_cleared": volunteer,
            "role_requests_cleared": asked,
        }
