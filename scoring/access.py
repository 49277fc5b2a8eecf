"""Who stands where around an application, for the consensus and site-visit pages.

`viewer` decides once who may open them: members of the application's confirmed team and
SLK (and for site visits the cycle's judging committee); everyone else gets 404 so an
application's existence does not leak. Seeing a page and acting on it differ: a member
reads the consensus the leader (or SLK) writes, and the refusal of an action to someone
who may see the page is a 403. The services check every rule again.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from award.roles import Role, has_role
from examiners.models import TeamMember
from scoring import queries
from submissions.models import Application


@dataclass
class Viewer:
    application: Application
    team_member: TeamMember | None
    is_slk: bool
    is_committee: bool

    @property
    def is_leader(self) -> bool:
        return self.team_member is not None and self.team_member.is_leader

    @property
    def can_lead(self) -> bool:
        """Runs the consensus and revises scores after a site visit."""
        return self.is_slk or self.is_leader

    @property
    def in_team(self) -> bool:
        return self.team_member is not None


def viewer_for(request, pk, *, committee=False) -> Viewer:
    """The application and the user's place around it; 404 unless they belong to it."""
    application = get_object_or_404(
        Application.objects.select_related(
            "track__cycle__scale", "unit", "assignment__team"
        ).prefetch_related("track__cycle__scale__bands"),
        pk=pk,
    )
    return viewer_of(request, application, committee=committee)


def viewer_of(request, application: Application, *, committee=False) -> Viewer:
    """As `viewer_for`, for an application the caller has read (with its track, cycle and
    scale, its unit and its team)."""
    user = request.user
    is_slk = has_role(user, Role.SLK)
    team_member = None if is_slk else queries.team_member_for(user, application)
    # The committee of this cycle only: the role alone is not enough.
    is_committee = committee and team_member is None and application.track.cycle.has_committee_member(user)
    if not (is_slk or team_member or is_committee):
        raise Http404
    return Viewer(application, team_member, is_slk, is_committee)


def lead_or_refuse(viewer: Viewer) -> None:
    if not viewer.can_lead:
        raise PermissionDenied(_("Bara lagledaren eller stadsledningskontoret kan göra detta."))
