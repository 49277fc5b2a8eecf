"""The start pages' numbers from the committee's business (award.dashboard)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from award.dashboard import Todo
from judging.models import Decision


def slk_todos(*, user, cycle) -> list[Todo]:
    """Signed decisions whose units and examiners are not yet told, in one query."""
    waiting = Decision.objects.signed().filter(meeting__cycle=cycle, notified_at__isnull=True).count()
    return [
        Todo(
            _("Signerade beslut som inte är meddelade"),
            waiting,
            reverse("judging:decisions", args=[cycle.year]),
        )
    ]
