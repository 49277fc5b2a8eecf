"""Read-side helpers for the award's pages."""

from django.db.models import Count, Q, Sum
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from guardian.shortcuts import get_objects_for_user

from award import audit
from award.models import (
    TIMELINE_FIELDS,
    TOTAL_WEIGHT,
    AwardCycle,
    CommitteeMembership,
    CompetitionClass,
    Criterion,
    Phase,
    ScaleBand,
    ScoringScale,
    Track,
    today,
)
from award.roles import Role, has_role, roles_of

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
    dates = {name: date_format(value) for name, value in _dates(cycle).items()}
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
            AwardCycle.objects.filter(pk__in=[c.pk for c in cycles])
            .with_committee_member(user)
            .values_list("pk", flat=True)
        )
        if not seated:
            return [(newest, {"member": False})]
        return [
            (cycle, {"member": True, "next_meeting": _next_meeting(cycle)})
            for cycle in cycles
            if cycle.pk in seated
        ]
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
            .select_related("unit", "track__cycle", "competition_class")
            # what the unit's next step (submissions' next_step) and the committee's result
            # (judging's committee_result) read, so the page's queries do not grow with it
            .annotate(
                answered=Count("answers", filter=~Q(answers__text=""), distinct=True),
                criteria_count=Count("track__criteria", distinct=True),
            )
            .prefetch_related("outcomes__decision")
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


def _next_meeting(cycle: AwardCycle) -> dict | None:
    """The committee's next meeting from the cycle's timeline: its date and what it is for."""
    meetings = [
        (cycle.first_committee_meeting, _("Första domarmötet: urval till platsbesök")),
        (cycle.final_committee_meeting, _("Slutligt domarmöte: beslut om vinnare och hedersomnämnanden")),
    ]
    for day, purpose in meetings:
        if day >= today():
            return {"date": day, "purpose": purpose}
    return None


def cycle_log(cycle: AwardCycle) -> list:
    """The cycle's latest 50 log entries, each with its `change_lines` in Swedish (its name is
    AuditEntry.label)."""
    entries = list(audit.entries_for(cycle)[:50])
    for entry in entries:
        entry.change_lines = audit.cycle_change_lines(entry.changes)
    return entries


def cycle_opening_errors(cycle: AwardCycle) -> list[str]:
    """Everything that stops a cycle from opening, each in a sentence SLK can act on: dates
    out of order first (each naming both dates), then tracks, criteria and scale."""
    errors = [capfirst(text) for text in cycle.timeline_order_errors().values()]
    tracks = list(cycle.tracks.annotate(weight_sum=Sum("criteria__weight")).order_by("kind"))
    if not tracks:
        errors.append(_("Omgången har inga tävlingsspår."))
    for track in tracks:
        total = track.weight_sum or 0
        if total != TOTAL_WEIGHT:
            errors.append(
                _("Kriteriernas vikter i %(track)s summerar till %(sum)s poäng, inte %(total)s.")
                % {"track": track.name, "sum": total, "total": TOTAL_WEIGHT}
            )
        if track.has_classes and not track.classes.exists():
            errors.append(_("%(track)s har inga tävlingsklasser.") % {"track": track.name})
    try:
        scale = cycle.scale
    except ScoringScale.DoesNotExist:
        errors.append(_("Omgången har ingen bedömningsskala."))
    else:
        errors.extend(scale.coverage_errors())
    return errors


# What a cycle is set up with, which goes with it when a cycle without data is deleted.
CYCLE_SETUP = (Track, CompetitionClass, Criterion, ScoringScale, ScaleBand)


def cycle_data(cycle: AwardCycle) -> list[tuple[str, int]]:
    """What the cycle holds beyond its set-up (tracks, classes, criteria, scale):
    (Swedish name of the kind of record, count) for each kind it has. Found through every
    relation pointing to the cycle or to its set-up, so the later apps' records
    (registrations, pool, training, teams, meetings, decisions, questionnaires…) count
    without the award app importing them, and a new one counts the day it is added."""
    # A record may point to the cycle by several relations (a team to the cycle and to a
    # track): each kind is counted once, through all of them.
    conditions: dict = {}

    def visit(model, rows) -> None:
        # Hidden relations too (related_name="+": an assessment's rows point to criteria so).
        relations = [
            f for f in model._meta.get_fields(include_hidden=True) if f.auto_created and not f.concrete
        ]
        for relation in relations:
            related = relation.related_model
            condition = Q(**{f"{relation.field.name}__in": rows})
            if related in CYCLE_SETUP:
                visit(related, related._base_manager.filter(condition).values("pk"))
            else:
                conditions[related] = conditions.get(related, Q()) | condition

    visit(AwardCycle, [cycle.pk])
    found = []
    for model, condition in conditions.items():
        count = model._base_manager.filter(condition).distinct().count()
        if count:
            found.append((str(model._meta.verbose_name_plural), count))
    return found


def cycle_delete_refusal(cycle: AwardCycle) -> str:
    """Why the cycle cannot be deleted (empty when it can): it holds data beyond its set-up."""
    data = cycle_data(cycle)
    if not data:
        return ""
    return _(
        "Omgången %(year)s kan inte tas bort eftersom den har uppgifter: %(data)s. Bara en omgång "
        "som inte har annat än tävlingsspår, tävlingsklasser, kriterier och bedömningsskala kan tas bort."
    ) % {"year": cycle.year, "data": ", ".join(f"{name} ({count})" for name, count in data)}


def committee_member_refusal(*, cycle: AwardCycle, user) -> str:
    """Why `user` cannot be seated on the cycle's committee (empty when they can)."""
    if cycle.has_committee_member(user):
        return _("%(name)s är redan ledamot i domarkommittén %(year)s.") % {"name": user, "year": cycle.year}
    return ""


def committee_chair_refusal(*, cycle: AwardCycle, membership: CommitteeMembership | None = None) -> str:
    """Why `membership` (or a new member) cannot chair the cycle's committee: it already
    has a chair, named. Empty when it can."""
    chairs = CommitteeMembership.objects.of_cycle(cycle).chairs()
    if membership is not None and membership.pk is not None:
        chairs = chairs.exclude(pk=membership.pk)
    chair = chairs.first()
    if chair is None:
        return ""
    return _(
        "%(name)s är redan ordförande i domarkommittén %(year)s. Kommittén har en ordförande: "
        "ta först bort ordförandeskapet från %(name)s."
    ) % {"name": chair.user, "year": cycle.year}


def navigation_cycle(user, *, released: bool = False) -> AwardCycle | None:
    """The cycle a link without a year leads `user` to: for SLK the latest opened cycle (with
    `released`, the latest whose feedback has been released, if any), before any has opened
    the latest draft; for a committee member the newest cycle in progress whose committee
    they sit on (else the newest they sat on). None when there is no such cycle."""
    opened = AwardCycle.objects.filter(status=AwardCycle.Status.OPEN).order_by("-year")
    if has_role(user, Role.SLK):
        if released:
            found = opened.feedback_released().first()
            if found is not None:
                return found
        return opened.first() or AwardCycle.objects.order_by("-year").first()
    seated = opened.with_committee_member(user)
    return seated.filter(pk__in=AwardCycle.objects.in_progress().values("pk")).first() or seated.first()


def outbox_messages(*, status: str = ""):
    """The outbox, newest first, for SLK's page (one status, or all)."""
    from award.models import OutboxMessage

    messages = OutboxMessage.objects.select_related("content_type").order_by("-created_at", "-id")
    if status in OutboxMessage.Status.values:
        messages = messages.filter(status=status)
    return messages


def outbox_counts() -> dict[str, int]:
    """{status: count} over the whole outbox, every status present (0 when none)."""
    from django.db.models import Count

    from award.models import OutboxMessage

    counts = dict(OutboxMessage.objects.values_list("status").annotate(n=Count("id")).order_by())
    return {status: counts.get(status, 0) for status in OutboxMessage.Status.values}


def workers():
    """The workers that beat recently, newest first, each with `alive`."""
    from award.models import WorkerHeartbeat

    beats = list(WorkerHeartbeat.objects.all()[:20])
    for beat in beats:
        beat.alive = beat.is_alive()
    return beats
