"""Read side of the judging committee's pages."""

from django.http import Http404

from award.roles import Role, has_role
from judging.models import CommitteeConflict
from submissions.models import Application


def committee_or_slk(user, cycle) -> bool:
    """Whether `user` works on `cycle`'s committee side: SLK, or a member of that cycle's
    committee (`AwardCycle.has_committee_member`; the role alone is not enough)."""
    return has_role(user, Role.SLK) or cycle.has_committee_member(user)


def require_committee_or_slk(user, cycle) -> None:
    """The committee's pages: anyone but SLK and this cycle's members is told nothing exists."""
    if not committee_or_slk(user, cycle):
        raise Http404


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
