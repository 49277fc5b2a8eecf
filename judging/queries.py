"""Read side of the judging committee's pages."""

from judging.models import CommitteeConflict
from submissions.models import Application


def committee_conflicts_for(user, application) -> list:

    return [
        c
        for c in CommitteeConflict.objects.filter(cycle=application.track.cycle, member=user).select_related(
            "unit", "organisation"
        )
        if c.covers(application)
    ]


def outcome_facts(pks) -> dict[int, Application]:
    """The applications with these ids, freshly read with what `outcome_refusal` reads,
    in a fixed number of queries."""
    return (
        Application.objects.select_related("consensus", "site_visit", "unit", "track__cycle")
        .prefetch_related("unit__past_results")
        .in_bulk(list(pks))
    )
