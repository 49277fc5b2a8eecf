"""Demo registrations and applications for the demo city of demo.award.

Every entry is written through the submissions services, each step at the moment it
happened on the demo.clock: application_register while registration was open (the code,
the eligibility mark, the empty answers and the contacts' access come from there),
registration_decide, answer_save, application_details_save (the film link),
application_extend, application_submit before the deadline and application_withdraw. So
the checks, the audit trail and the rows are what the pages would have produced.

Every entry exists in each state the pages show: submitted, draft (one of them given
more time, so its contact can still write), withdrawn, registration rejected and
registration pending, in both tracks; a few submitted ones report a deficit. Last year's
cycle, already decided, has the submitted entries behind last year's results.

Entries are keyed by (track, unit), and a step is taken only when it has not been, so a
second run writes nothing. A run on a later day leaves the recorded history as it is
(the cycles' dates move; see demo.award.seed_cycle), except that the draft given more
time is given more again. Answer texts are put together from the banks of sentences in
demo/data/submissions.json, with the unit's own words and figures, by random generators
with fixed seeds.
"""

import datetime as dt
import math
import random
from dataclasses import dataclass

from award.models import STOCKHOLM, Phase, Track
from demo import award as award_demo
from demo import texts
from submissions import services
from submissions.models import Application

SEED = award_demo.SEED

QUALITY_AWARD = Track.Kind.QUALITY_AWARD
RENEWAL_PRIZE = Track.Kind.RENEWAL_PRIZE

# The states of an entry, as the overview page counts them.
SUBMITTED = "submitted"
DRAFT = "draft"
WITHDRAWN = "withdrawn"
REJECTED = "rejected"
PENDING = "pending"

INDIVIDUAL = Application.NomineeKind.INDIVIDUAL
MANAGER = Application.NomineeKind.MANAGER
TEAM = Application.NomineeKind.TEAM

FILM_HOST = f"https://film.{award_demo.EMAIL_DOMAIN}"


@dataclass(frozen=True)
class EntrySeed:
    unit: str  # the unit's name in award_demo.UNITS
    track: str
    state: str
    deficit_last_year: bool = False
    deficit_forecast: bool = False
    # Förnyelsepriset: who is nominated (a manager is the unit's head) and for what.
    nominee_kind: str = ""
    nominee_name: str = ""
    nominee_role: str = ""
    innovation: str = ""
    film: bool = False
    # Why SLK rejected the registration, or why the unit withdrew.
    reason: str = ""
    # A withdrawn entry that had been submitted first; a draft given more time.
    was_submitted: bool = False
    extended: bool = False


_DATA = texts.load("submissions")


def _entry(row: dict) -> EntrySeed:
    return EntrySeed(**{**row, "track": Track.Kind(row["track"])})


# This year's cycle: most quality award entries submitted, for the examiner teams to come.
CURRENT_ENTRIES = [_entry(row) for row in _DATA["entries"]["current"]]
# Last year's cycle, already decided: the entries behind last year's results and a few more.
PREVIOUS_ENTRIES = [_entry(row) for row in _DATA["entries"]["previous"]]

# Phases in which last year's submitted entries exist: once its writing is over.
PHASES_AFTER_WRITING = list(Phase)[list(Phase).index(Phase.ASSESSMENT) :]

# --- Words and sentence banks (demo/data/submissions.json) ------------------------------

# The words of each kind of work (an index into award_demo.COMPETITION_CLASSES); "antal"
# is the range the number of people the unit meets in a year is drawn from.
WORDS = {award_demo.work_of(name): words for name, words in _DATA["words"].items()}


def _bank(paragraphs: list) -> list[list]:
    """A bank as _compose reads it: a list inside a paragraph offers alternative wordings."""
    return [[tuple(s) if isinstance(s, list) else s for s in paragraph] for paragraph in paragraphs]


# Each criterion's answer is its paragraphs in order. A paragraph keeps its first sentence
# and a random selection of the others, in order. {placeholders} are the unit's words
# and figures drawn for the answer.
QUALITY_AWARD_TEXTS = {title: _bank(b) for title, b in _DATA["texts"]["quality_award"].items()}
RENEWAL_PRIZE_TEXTS = {title: _bank(b) for title, b in _DATA["texts"]["renewal_prize"].items()}
GENERIC_TEXT = _bank(_DATA["texts"]["generic"])

# Förnyelsepriset: what each entry renewed, by its `innovation` key; "tal" are the ranges
# of the figures its "resultat" quotes.
INNOVATIONS = _DATA["innovations"]
IDEA_SOURCES = _DATA["idea_sources"]
SPREADING = _DATA["spreading"]
FUNDING = _DATA["funding"]

# How much of the answers a draft or a pending registration has written: the share of
# criteria answered, and of the paragraphs of the last one.
DRAFT_SHARE = {DRAFT: 0.6, PENDING: 0.3, WITHDRAWN: 0.4, REJECTED: 0.0}


# --- Text -------------------------------------------------------------------------------

# The chance that a sentence marked optional is left out of an answer.
OPTIONAL_LEFT_OUT = 0.35


def _percent(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _thousands(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _figures(rng: random.Random, *, year: int) -> dict[str, str]:
    """The figures an answer quotes: trends over three years, consistent with each other."""
    p0 = rng.randint(70, 80)
    p1 = p0 + rng.randint(2, 6)
    p2 = min(p1 + rng.randint(2, 6), 97)
    goal = p2 + rng.choice([-3, -1, 2, 3])
    q0 = rng.randint(55, 70)
    k0 = rng.randint(12, 25)
    b0 = rng.randint(86, 92)
    m0 = rng.randint(70, 76)
    s0 = rng.uniform(6.5, 9.5)
    e0 = rng.randint(55, 70)
    a0 = rng.randint(18, 30)
    indicators = rng.randint(8, 12)
    t0 = rng.randint(60, 72)
    u0 = rng.randint(55, 70)
    mal_text = (
        f"Vårt mål för {year - 1} var {goal} procent, och det har vi nått."
        if goal <= p2
        else f"Vårt mål för {year - 1} var {goal} procent; vi är inte där ännu, men utvecklingen går åt "
        "rätt håll."
    )
    return {
        "p0": str(p0),
        "p1": str(p1),
        "p2": str(p2),
        "mal_text": mal_text,
        "p_stad": str(p0 + rng.randint(-2, 3)),
        "q0": str(q0),
        "q2": str(q0 + rng.randint(6, 15)),
        "q_mal": str(q0 + rng.randint(16, 20)),
        "k0": str(k0),
        "k2": str(k0 - rng.randint(4, 9)),
        "svarstid": str(rng.randint(3, 6)),
        "b0": str(b0),
        "b1": str(b0 + rng.randint(2, 5)),
        "m0": str(m0),
        "m2": str(m0 + rng.randint(4, 9)),
        "s0": _percent(s0),
        "s2": _percent(s0 - rng.uniform(1.5, 3.5)),
        "oms0": str(rng.randint(14, 22)),
        "oms": str(rng.randint(7, 12)),
        "e0": str(e0),
        "e2": str(min(e0 + rng.randint(12, 25), 97)),
        "a0": str(a0),
        "a2": str(a0 - rng.randint(6, 12)),
        "svinn": str(rng.randint(15, 40)),
        "n_synpunkter": str(rng.randint(15, 60)),
        "n_forslag": str(rng.randint(20, 60)),
        "n_pgsa": str(rng.randint(6, 15)),
        "n_studiebesok": str(rng.randint(4, 12)),
        "n_handledare": str(rng.randint(2, 6)),
        "n_indikatorer": str(indicators),
        "n_nadda": str(indicators - rng.randint(1, 3)),
        "t0": str(t0),
        "t2": str(t0 + rng.randint(10, 20)),
        "u0": str(u0),
        "u2": str(min(u0 + rng.randint(8, 18), 98)),
        "nojd": str(rng.randint(82, 96)),
        "pilot_veckor": rng.choice(["sex", "åtta", "tio", "tolv"]),
    }


def _economy(spec: EntrySeed, rng: random.Random, *, year: int) -> str:
    deficit = _percent(rng.uniform(1.5, 4.0))
    if spec.deficit_last_year and spec.deficit_forecast:
        return (
            f"Ekonomin är vår största utmaning. {year - 1} redovisade vi ett underskott på {deficit} procent "
            "av budgeten, och årets prognos visar också ett underskott, om än mindre, främst på grund av "
            "höga kostnader för vikarier och ökade lokalkostnader."
        )
    if spec.deficit_last_year:
        return (
            f"{year - 1} redovisade vi ett underskott på {deficit} procent av budgeten, främst på grund av "
            "höga kostnader för vikarier under en period med hög sjukfrånvaro. Tillsammans med förvaltningen "
            "tog vi fram en åtgärdsplan, och årets prognos visar en ekonomi i balans."
        )
    if spec.deficit_forecast:
        return (
            f"Årets prognos visar ett underskott på {deficit} procent av budgeten, som främst beror på ökade "
            "lokalkostnader efter en flytt. Vi har tagit fram en åtgärdsplan tillsammans med förvaltningens "
            "controller."
        )
    return "Ekonomin är i balans: de senaste tre åren har budgetutfallet legat inom en procent av budgeten."


def _sentence(template: str, words: dict) -> str:
    text = template.format_map(words).strip()
    return text[:1].upper() + text[1:]


def _compose(paragraphs, words: dict, rng: random.Random, *, max_length: int, share: float = 1.0) -> str:
    """Paragraphs of sentences from a bank. A tuple offers alternative wordings, and a
    sentence marked with a leading "?" may be left out; a draft stops part way. Sentences
    are dropped from the end until the text fits within max_length."""
    chosen = []
    for paragraph in paragraphs:
        sentences = []
        for template in paragraph:
            if isinstance(template, tuple):
                template = rng.choice(template)
            if template.startswith("?"):
                if rng.random() < OPTIONAL_LEFT_OUT:
                    continue
                template = template[1:]
            sentence = _sentence(template, words)
            if sentence:
                sentences.append(sentence)
        chosen.append(sentences)
    if share < 1.0:
        chosen = chosen[: max(1, round(len(chosen) * share))]
    chosen = [p for p in chosen if p]
    text = "\n\n".join(" ".join(p) for p in chosen)
    while len(text) > max_length and chosen:
        chosen[-1].pop()
        chosen = [p for p in chosen if p]
        text = "\n\n".join(" ".join(p) for p in chosen)
    return text


def _unit_words(unit, *, position: int, year: int, rng: random.Random) -> dict:
    work = award_demo.UNITS[position].work
    words = {key: value for key, value in WORDS[work].items() if key != "antal"}
    low, high = WORDS[work]["antal"]
    count = rng.randint(low, high)
    organisation = unit.organisation.name
    return {
        **words,
        "antal": _thousands(round(count, -2) if count > 5000 else round(count / 5) * 5),
        "enheten": unit.name,
        "staff": str(unit.staff_count),
        "forvaltningen": organisation,
        "forvaltningens": organisation + "s",
        "ar": str(year),
        "ar1": str(year - 1),
        "ar2": str(year - 2),
        "ar3": str(year - 3),
    }


def _renewal_words(spec: EntrySeed, application_nominee: str, rng: random.Random, base: dict) -> dict:
    innovation = INNOVATIONS[spec.innovation]
    figures = {name: str(rng.randint(*span)) for name, span in innovation["tal"].items()}
    if spec.nominee_kind == INDIVIDUAL:
        driver = (
            f"Förnyelsen har drivits av {application_nominee}, {spec.nominee_role} hos oss, som fick idén och "
            "har lett arbetet sedan starten med stöd av enhetschefen."
        )
    elif spec.nominee_kind == MANAGER:
        driver = (
            f"Förnyelsen har drivits av enhetschefen {application_nominee}, som har gett medarbetarna tid och "
            "mandat att pröva nya vägar och själv varit med i försöket."
        )
    else:
        driver = (
            f"Förnyelsen har drivits av ett arbetslag, {application_nominee}, där alla har bidragit med idéer "
            "och prövat arbetssättet i praktiken."
        )
    words = {
        **base,
        **{key: value for key, value in innovation.items() if isinstance(value, str)},
        "resultat": innovation["resultat"].format_map(figures),
        "drivare": driver,
        "teknik": "Tekniken finns redan i staden; det nyskapande ligger i hur vi använder den och hur arbetet "
        "är organiserat runt den."
        if innovation["digital"]
        else "Förnyelsen kräver ingen ny teknik: det nyskapande ligger i hur arbetet är organiserat.",
        "ide_kalla": rng.choice(IDEA_SOURCES),
        "spridning": rng.choice(SPREADING).format_map(base),
        "finansiering": rng.choice(FUNDING),
        "film": "En kort film som visar arbetet finns på länken i bidraget." if spec.film else "",
        "miljo": "Eftersom en del av kontakterna sker digitalt har resorna minskat, och med dem utsläppen."
        if innovation["digital"]
        else "Vi har valt material som går att återanvända, och vi tar oss fram till fots, med cykel eller "
        "med kollektivtrafik.",
    }
    return words


# --- Timeline of an entry ---------------------------------------------------------------


def _at(day: dt.date, rng: random.Random, *, earliest: int = 8, latest: int = 16) -> dt.datetime:
    """A moment of a working day in Stockholm, in whole minutes."""
    return dt.datetime.combine(
        day, dt.time(rng.randint(earliest, latest), rng.choice(range(0, 60, 5))), tzinfo=STOCKHOLM
    )


@dataclass
class Moments:
    registered: dt.datetime
    decided: dt.datetime | None = None
    extended: dt.datetime | None = None
    written: dt.datetime | None = None
    submitted: dt.datetime | None = None
    withdrawn: dt.datetime | None = None
    extended_to: dt.date | None = None


def _moments(spec: EntrySeed, cycle, rng: random.Random, *, today: dt.date) -> Moments:
    """When each step happened, within the cycle's own timeline and before today."""
    opens, closes, deadline = cycle.registration_opens, cycle.registration_closes, cycle.application_deadline
    days = lambda n: dt.timedelta(days=n)  # noqa: E731
    if spec.state == PENDING:  # registered in the last hours, still waiting for SLK
        return Moments(registered=_at(closes, rng, earliest=14), written=_at(deadline - days(3), rng))
    span = max((closes - opens).days - 5, 0)
    registered = _at(opens + days(rng.randint(0, span)), rng)
    decided = _at(registered.date() + days(rng.randint(1, 5)), rng)
    moments = Moments(registered=registered, decided=decided)
    if spec.state == REJECTED:
        return moments
    writing_days = max((deadline - decided.date()).days, 1)
    if spec.state == SUBMITTED or spec.was_submitted:
        moments.submitted = _at(deadline - days(rng.randint(0, min(10, writing_days - 1))), rng, latest=22)
        moments.written = moments.submitted - dt.timedelta(minutes=rng.randint(20, 240))
    else:
        moments.written = _at(deadline - days(rng.randint(8, min(20, max(writing_days - 1, 8)))), rng)
    if spec.state == WITHDRAWN:
        if spec.was_submitted:
            after = max(min((today - deadline).days - 1, 12), 1)
            moments.withdrawn = _at(deadline + days(rng.randint(1, after)), rng)
        else:
            moments.withdrawn = moments.written + dt.timedelta(days=rng.randint(1, 4))
    if spec.extended:  # given two more weeks after the deadline, as application_extend allows
        moments.extended = _at(max(today - days(1), deadline), rng)
        moments.extended_to = moments.extended.date() + days(14)
    return moments


# --- Writing ----------------------------------------------------------------------------


def _texts(spec: EntrySeed, application, *, unit, position: int, rng, nominee_name: str) -> dict:
    """Per criterion, the text the unit has written so far: every answer of an entry that
    was submitted, part of a draft's. From generators seeded per criterion, so one answer
    never shifts another."""
    track, year = application.track, application.track.cycle.year
    criteria = list(track.criteria.all())
    complete = spec.state == SUBMITTED or spec.was_submitted  # submitting needs every answer
    answered = len(criteria) if complete else math.ceil(len(criteria) * DRAFT_SHARE[spec.state])
    base = _unit_words(unit, position=position, year=year, rng=rng)
    texts = {}
    for index, criterion in enumerate(criteria):
        text_rng = random.Random(f"{SEED}-{year}-{track.kind}-{unit.code}-{criterion.number}")  # noqa: S311
        words = {**base, **_figures(text_rng, year=year), "ekonomi": _economy(spec, text_rng, year=year)}
        if track.has_classes:
            bank = QUALITY_AWARD_TEXTS.get(criterion.title, GENERIC_TEXT)
        else:
            words = _renewal_words(spec, nominee_name, text_rng, words)
            bank = RENEWAL_PRIZE_TEXTS.get(criterion.title, GENERIC_TEXT)
        if index < answered:
            share = 0.5 if not complete and index == answered - 1 else 1.0
            texts[criterion] = _compose(bank, words, text_rng, max_length=criterion.max_length, share=share)
        else:
            texts[criterion] = ""
    return texts


def _seed_entry(spec: EntrySeed, track, *, data: dict, clock) -> Application:
    """One entry's story through the submissions services, each step at its moment:
    registered by the unit's contact, approved or rejected by SLK, written, given more
    time, submitted, withdrawn. A step already taken is not taken again."""
    units = data["units"]
    position = next(i for i, unit in enumerate(units) if unit.name == spec.unit)
    unit = units[position]
    contact = data["users"]["unit_contacts"][position]
    slk = data["users"]["slk"]
    cycle = track.cycle
    rng = random.Random(f"{SEED}-{cycle.year}-{track.kind}-{unit.code}")  # noqa: S311  (demo data)

    competition_class = None
    if track.has_classes:
        class_name = award_demo.COMPETITION_CLASSES[award_demo.UNITS[position].work]
        competition_class = track.classes.filter(name=class_name).first() or track.classes.first()
    nominee_name = (
        (unit.head_name if spec.nominee_kind == MANAGER else spec.nominee_name) if spec.nominee_kind else ""
    )
    moments = _moments(spec, cycle, rng, today=clock.today)

    application = Application.objects.filter(track=track, unit=unit).select_related("track__cycle").first()
    if application is None:
        registration = services.RegistrationData(
            unit=unit,
            track=track,
            competition_class=competition_class,
            head_has_full_responsibility=True,
            deficit_last_year=spec.deficit_last_year,
            deficit_forecast=spec.deficit_forecast,
            nominee_kind=spec.nominee_kind,
            nominee_name=nominee_name,
        )
        application = clock.run(
            moments.registered, services.application_register, data=registration, by=contact
        )
    pending = Application.RegistrationStatus.PENDING
    if moments.decided and application.registration_status == pending:
        rejected = spec.state == REJECTED
        application = clock.run(
            moments.decided,
            services.registration_decide,
            application=application,
            approve=not rejected,
            reason=spec.reason if rejected else "",
            by=slk,
        )

    texts = _texts(spec, application, unit=unit, position=position, rng=rng, nominee_name=nominee_name)
    answers = {a.criterion_id: a for a in application.answers.all()}
    for criterion, text in texts.items():
        answer = answers[criterion.pk]
        if text and answer.text != text:
            clock.run(
                moments.written,
                services.answer_save,
                application=application,
                criterion_id=criterion.pk,
                text=text,
                base_version=answer.version,
                by=contact,
            )
    film_url = f"{FILM_HOST}/fornyelsepriset/{cycle.year}/{unit.code.lower()}" if spec.film else ""
    if application.film_url != film_url:
        application = clock.run(
            moments.written,
            services.application_details_save,
            application=application,
            film_url=film_url,
            by=contact,
        )
    if moments.extended_to and application.deadline_extended_to != moments.extended_to:
        application = clock.run(
            moments.extended,
            services.application_extend,
            application=application,
            until=moments.extended_to,
            reason=spec.reason,
            by=slk,
        )
    if moments.submitted and application.submitted_at is None:
        application = clock.run(
            moments.submitted, services.application_submit, application=application, by=contact
        )
    if moments.withdrawn and application.status != Application.Status.WITHDRAWN:
        application = clock.run(
            moments.withdrawn,
            services.application_withdraw,
            application=application,
            reason=spec.reason,
            by=contact,
        )
    return application


# --- Summary ----------------------------------------------------------------------------

STATE_WORDS = [
    (SUBMITTED, "inlämnade", "inlämnat"),
    (DRAFT, "utkast", "utkast"),
    (WITHDRAWN, "återtagna", "återtaget"),
    (PENDING, "anmälningar väntar på beslut", "anmälan väntar på beslut"),
    (REJECTED, "avslagna anmälningar", "avslagen anmälan"),
]


def state_of(application: Application) -> str:
    """The entry's one state, as the demo's summary counts it."""
    if application.registration_status == Application.RegistrationStatus.REJECTED:
        return REJECTED
    if application.status == Application.Status.WITHDRAWN:
        return WITHDRAWN
    if application.registration_status == Application.RegistrationStatus.PENDING:
        return PENDING
    return application.status


def summary_line(cycle) -> str:
    applications = list(Application.objects.filter(track__cycle=cycle).select_related("track"))
    states = [state_of(a) for a in applications]
    parts = []
    for state, plural, singular in STATE_WORDS:
        n = states.count(state)
        if n:
            parts.append(f"{n} {singular if n == 1 else plural}")
    per_track = ", ".join(
        f"{track.name} {sum(1 for a in applications if a.track_id == track.pk)}"
        for track in cycle.tracks.all()
    )
    return f"Tävlingsbidrag {cycle.year}: {len(applications)} ({', '.join(parts)}); {per_track}."


def seed(data, *, clock):
    """Add the registrations and applications of both cycles to the demo city built by
    demo.award.build; returns the summary lines."""
    cycles = data["cycles"]
    current = cycles[clock.today.year]
    previous = cycles.get(clock.today.year - 1)
    plan = []
    if previous is not None and previous.phase_on(clock.today) in PHASES_AFTER_WRITING:
        plan.append((previous, PREVIOUS_ENTRIES))
    plan.append((current, CURRENT_ENTRIES))
    for cycle, entries in plan:
        tracks = {track.kind: track for track in cycle.tracks.select_related("cycle")}
        for kind in (QUALITY_AWARD, RENEWAL_PRIZE):  # codes are numbered in this order
            for spec in entries:
                if spec.track == kind:
                    _seed_entry(spec, tracks[kind], data=data, clock=clock)
    return [summary_line(cycle) for cycle, _entries in reversed(plan)]
