"""SLK's start-page numbers from the registrations and applications (award.dashboard)."""

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from award.dashboard import Todo
from submissions.models import Application
from submissions.queries import STATE_FILTERS


def slk_todos(*, user, cycle) -> list[Todo]:
    """Registrations to approve and drafts not yet submitted, in one query."""
    counts = Application.objects.filter(track__cycle=cycle).aggregate(
        pending=Count("pk", filter=STATE_FILTERS["pending"]),
        draft=Count("pk", filter=STATE_FILTERS["draft"]),
    )
    base = reverse("submissions:overview")

    def url(state):
        return f"{base}?{urlencode({'year': cycle.year, 'state': state})}"

    return [
        Todo(_("Anmälningar som väntar på godkännande"), counts["pending"], url("pending")),
        Todo(_("Bidrag som ännu är utkast"), counts["draft"], url("draft")),
    ]
