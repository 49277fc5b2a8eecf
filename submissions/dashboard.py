"""SLK's start-page numbers from the registrations and applications (award.dashboard)."""

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from award.dashboard import Todo
from submissions.models import Application
from submissions.queries import DUE_SOON_DAYS, STATE_FILTERS, due_soon_filter


def slk_todos(*, user, cycle) -> list[Todo]:
    """Registrations to approve and drafts whose last day is near, in one query."""
    counts = Application.objects.filter(track__cycle=cycle).aggregate(
        pending=Count("pk", filter=STATE_FILTERS["pending"]),
        due_soon=Count("pk", filter=due_soon_filter()),
    )
    base = reverse("submissions:overview")

    def url(state):
        return f"{base}?{urlencode({'year': cycle.year, 'state': state})}"

    return [
        Todo(_("Anmälningar som väntar på godkännande"), counts["pending"], url("pending")),
        Todo(
            _("Utkast vars sista dag är inom %(days)s dagar") % {"days": DUE_SOON_DAYS},
            counts["due_soon"],
            url("due_soon"),
        ),
    ]
