"""SLK's start-page numbers from the examination (award.dashboard): assessments overdue,
consensus waiting and reports to approve, each linking to SLK's list filtered to them."""

from urllib.parse import urlencode

from django.urls import reverse

from award.dashboard import Todo
from scoring import progress


def slk_todos(*, user, cycle) -> list[Todo]:
    """The three counts of `progress.FILTERS`, in one query."""
    counts = progress.counts(cycle)
    base = reverse("scoring:progress", args=[cycle.year])
    return [
        Todo(str(label), counts[name], f"{base}?{urlencode({'visa': name})}")
        for name, label in progress.FILTERS.items()
    ]
