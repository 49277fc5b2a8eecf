"""Read-side helpers for the award's pages."""

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import get_objects_for_user

from award import audit
from award.models import TIMELINE_FIELDS, AwardCycle, Phase
from award.roles import Role, roles_of

# What each role can do in each phase of the cycle. Later stages of the examination
# extend this with links to their own pages.
_TASKS = {
    Role.UNIT_CONTACT: {
        Phase.PREPARATION: [_("Anmälan öppnar %(registration_opens)s. Läs kriterierna och anvisningarna.")],
        Phase.REGISTRATION: [
            _("Anmälan är öppen till och med %(registration_closes)s: anmäl din enhet till ett spår."),
            _("Börja skriva tävlingsbidraget; sista dag är %(application_deadline)s."),
        ],
        Phase.APPLICATION: [_("Skriv och lämna in tävlingsbidraget senast %(application_deadline)s.")],
        Phase.ASSESSMENT: [_("Ditt bidrag bedöms av examinatorerna. Inga ändringar kan göras.")],
        Phase.CONSENSUS: [_("Examinatorslaget enas om en gemensam bedömning.")],
        Phase.SHORTLISTING: [
            _("Domarkommittén väljer ut enheter för platsbesök %(first_committee_meeting)s.")
        ],
        Phase.SITE_VISITS: [_("Platsbesök görs %(site_visits_start)s–%(site_visits_end)s.")],
        Phase.FINAL_DECISION: [_("Domarkommittén fattar beslut %(final_committee_meeting)s.")],
        Phase.AWARDED: [
            _("Prisutdelning %(ceremony_date)s. Återföringsrapporten släpps %(feedback_release)s.")
        ],
        Phase.FEEDBACK: [_("Läs och ladda ner er återföringsrapport.")],
    },
    Role.EXAMINER: {
        Phase.PREPARATION: [_("Gå examinatorsutbildningen och anmäl eventuell jäv.")],
        Phase.REGISTRATION: [_("Gå examinatorsutbildningen och anmäl eventuell jäv.")],
        Phase.APPLICATION: [
            _("Lagen sätts samman. Sista dag för tävlingsbidrag är %(application_deadline)s.")
        ],
        Phase.ASSESSMENT: [_("Gör din individuella bedömning senast %(assessment_deadline)s.")],
        Phase.CONSENSUS: [_("Enas i laget om konsensusbedömningen senast %(consensus_deadline)s.")],
        Phase.SHORTLISTING: [
            _("Domarkommittén väljer ut bidrag för platsbesök %(first_committee_meeting)s.")
        ],
        Phase.SITE_VISITS: [_("Genomför platsbesök %(site_visits_start)s–%(site_visits_end)s.")],
        Phase.FINAL_DECISION: [_("Färdigställ återföringsrapporterna.")],
        Phase.AWARDED: [_("Återföringsrapporterna släpps %(feedback_release)s.")],
        Phase.FEEDBACK: [_("Återföringsmöten med enheterna.")],
    },
    Role.COMMITTEE: {
        Phase.SHORTLISTING: [_("Välj bidrag för platsbesök vid mötet %(first_committee_meeting)s.")],
        Phase.FINAL_DECISION: [_("Besluta om vinnare och hedersomnämnanden %(final_committee_meeting)s.")],
    },
    Role.SLK: {
        Phase.PREPARATION: [_("Förbered omgången: kriterier, skala, tidplan och utbildningar.")],
        Phase.REGISTRATION: [_("Granska och godkänn anmälningar.")],
        Phase.APPLICATION: [_("Sätt samman examinatorslag och tilldela bidrag.")],
        Phase.ASSESSMENT: [_("Följ examinatorernas arbete.")],
        Phase.CONSENSUS: [_("Följ lagens konsensusarbete.")],
        Phase.SHORTLISTING: [_("Förbered första domarmötet.")],
        Phase.SITE_VISITS: [_("Samordna platsbesöken.")],
        Phase.FINAL_DECISION: [_("Förbered det slutliga domarmötet.")],
        Phase.AWARDED: [_("Godkänn återföringsrapporterna före %(feedback_release)s.")],
        Phase.FEEDBACK: [_("Utvärdera omgången och sprid goda exempel.")],
    },
}

_DEFAULT = {
    Role.COMMITTEE: [
        _("Domarkommitténs möten: %(first_committee_meeting)s och %(final_committee_meeting)s.")
    ],
}


def tasks_for(*, role: Role, cycle: AwardCycle) -> list[str]:
    """What the role can do now, in the cycle's current phase, with the cycle's dates."""
    dates = {name: date_format(value, "j F Y") for name, value in _dates(cycle).items()}
    texts = _TASKS.get(role, {}).get(cycle.phase) or _DEFAULT.get(role, [])
    return [str(text) % dates for text in texts]


def _dates(cycle):
    return {name: getattr(cycle, name) for name in TIMELINE_FIELDS}


def start_page_cycles() -> list[AwardCycle]:
    """The cycles the start pages show, newest first: every cycle in progress (last year's
    stays while its feedback and evaluation are not done, beside this year's), and the
    latest opened one, which stays in its feedback phase until the next opens."""
    cycles = list(AwardCycle.objects.in_progress())
    current = AwardCycle.objects.current()
    if current is not None and current not in cycles:
        cycles.append(current)
    return sorted(cycles, key=lambda c: c.year, reverse=True)


def home_sections(*, user, cycles: list[AwardCycle]) -> list[dict]:
    """One section per role the user holds, in a stable order. Each has the cycles in which
    the role has something for this user (`cycles_with_work`), newest first, each with
    what the role can do in that cycle's phase; the template links only to pages of
    those cycles, so every link answers for the user."""
    if not cycles:
        return []
    sections = []
    for role in Role:
        if role not in roles_of(user):
            continue
        entries = [
            {"cycle": cycle, "tasks": tasks_for(role=role, cycle=cycle), **extra}
            for cycle, extra in cycles_with_work(user=user, role=role, cycles=cycles)
        ]
        sections.append({"role": role, "cycles": entries})
    return sections


def cycles_with_work(*, user, role: Role, cycles: list[AwardCycle]) -> list[tuple[AwardCycle, dict]]:
    """(cycle, what the start page shows of it) for the cycles, of `cycles`, in which
    `role` has something for `user`:

    - SLK: every one;
    - the committee: those whose committee the user sits on (the committee's pages answer
      404 to anyone else), with `member` True; the newest with `member` False when the
      user sits on none of them, for the meeting dates;
    - examiners: the newest (the pool to join) and those whose pool the user is in;
    - unit contacts: the newest (registration) and those in which the user's units have
      applications, with `applications` (those the user may see).

    The later apps' rows are read through relation names and the permission's name, so
    the award app imports nothing of them."""
    newest = cycles[0]
    if role == Role.SLK:
        return [(cycle, {}) for cycle in cycles]
    if role == Role.COMMITTEE:
        seated = set(
            AwardCycle.objects.filter(pk__in=[c.pk for c in cycles], committee__user=user).values_list(
                "pk", flat=True
            )
        )
        if not seated:
            return [(newest, {"member": False})]
        return [(cycle, {"member": True}) for cycle in cycles if cycle.pk in seated]
    if role == Role.EXAMINER:
        pooled = set(
            AwardCycle.objects.filter(pk__in=[c.pk for c in cycles], pool__profile__user=user).values_list(
                "pk", flat=True
            )
        )
        return [(cycle, {}) for cycle in cycles if cycle == newest or cycle.pk in pooled]
    if role == Role.UNIT_CONTACT:
        applications = (
            get_objects_for_user(user, "submissions.view_application", accept_global_perms=False)
            .filter(track__cycle__in=cycles)
            .select_related("unit", "track")
            .order_by("code")
        )
        by_cycle = {}
        for application in applications:
            by_cycle.setdefault(application.track.cycle_id, []).append(application)
        return [
            (cycle, {"applications": by_cycle.get(cycle.pk, [])})
            for cycle in cycles
            if cycle == newest or cycle.pk in by_cycle
        ]
    return []


def cycle_log(cycle: AwardCycle) -> list:
    """The cycle's latest 50 log entries, each with its Swedish `label` and `change_lines`."""
    entries = list(audit.entries_for(cycle)[:50])
    for entry in entries:
        entry.label = audit.cycle_action_label(entry.action)
        entry.change_lines = audit.cycle_change_lines(entry.changes)
    return entries
