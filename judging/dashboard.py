"""The start pages' numbers from the committee's business (award.dashboard): for SLK the
decisions to announce; for a member of the cycle's committee what its next meeting needs."""

from django.urls import reverse
from django.utils.translation import gettext as _

from award.dashboard import Todo
from award.models import CompetitionClass, Phase
from judging.models import Decision
from scoring.models import Consensus
from submissions.models import Application

_ORDER = list(Phase)


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


def committee_todos(*, user, cycle) -> list[Todo]:
    """For a member of the cycle's committee, from its first meeting's phase on: submitted
    applications without a final consensus (the table lacks their totals) and the classes
    (and the renewal prize) without a signed decision. Four queries."""
    if _ORDER.index(cycle.phase) < _ORDER.index(Phase.CONSENSUS) or not cycle.has_committee_member(user):
        return []
    waiting = (
        Application.objects.filter(track__cycle=cycle, status=Application.Status.SUBMITTED)
        .exclude(consensus__status=Consensus.Status.FINAL)
        .count()
    )
    scopes = {
        (c.track_id, c.pk) for c in CompetitionClass.objects.filter(track__cycle=cycle).only("pk", "track")
    }
    scopes |= {(t.pk, None) for t in cycle.tracks.all() if not t.has_classes}
    decided = set(
        Decision.objects.signed().filter(meeting__cycle=cycle).values_list("track_id", "competition_class_id")
    )
    return [
        Todo(
            _("Inlämnade bidrag utan fastställd konsensus"),
            waiting,
            reverse("judging:committee_home", args=[cycle.year]),
        ),
        Todo(
            _("Klasser utan signerat beslut"),
            len(scopes - decided),
            reverse("judging:decisions", args=[cycle.year]),
        ),
    ]
