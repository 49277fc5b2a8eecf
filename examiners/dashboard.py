"""SLK's start-page numbers from the pool and the teams (award.dashboard)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from award.dashboard import Todo
from examiners import queries, rules
from examiners.models import Team


def slk_todos(*, user, cycle) -> list[Todo]:
    """Submitted applications without a team, teams not yet confirmed, teams with fewer
    members than a team needs (R5) and teams flagged (a conflict declared after assignment,
    a member removed…), in three queries."""
    teams = Team.objects.filter(cycle=cycle).aggregate(
        drafts=Count("pk", filter=Q(pk__in=Team.objects.drafts().values("pk"))),
        flagged=Count("pk", filter=~Q(flag="")),
    )
    url = reverse("examiners:teams", args=[cycle.year])
    return [
        Todo(_("Inlämnade bidrag utan lag"), queries.unassigned_applications(cycle).count(), url),
        Todo(_("Lagförslag som inte är fastställda"), teams["drafts"], url),
        Todo(
            _("Lag med färre än %(min)s examinatorer") % {"min": rules.MIN_TEAM_SIZE},
            Team.objects.filter(cycle=cycle)
            .annotate(size=Count("members"))
            .filter(size__lt=rules.MIN_TEAM_SIZE)
            .count(),
            url,
        ),
        Todo(_("Lag med en flagga att åtgärda"), teams["flagged"], url),
    ]
