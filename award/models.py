"""The award's own model: organisations and units, cycles with their timeline, tracks,
competition classes, criteria, the scoring scale, the judging committee, past results
and the audit trail every service writes to."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from award.conflicts import covers as declaration_covers

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TOTAL_WEIGHT = 1000


def today() -> dt.date:
    """Today's date in Stockholm, which is what every deadline of the award refers to."""
    return timezone.localdate(timezone=STOCKHOLM)


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of a day in Stockholm: a deadline dated D is open all of D."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=STOCKHOLM) - dt.timedelta(
        microseconds=1
    )


class User(AbstractUser):
    """A person using the platform. Roles are groups (see award.roles); a unit contact is
    linked to one or more units through Unit.contacts."""

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username


class Organisation(models.Model):
    class Kind(models.TextChoices):
        DISTRICT = "district", _("Stadsdelsförvaltning")
        SPECIALIST = "specialist", _("Fackförvaltning")
        COMPANY = "company", _("Bolag")

    code = models.CharField(_("kod"), max_length=20, unique=True)
    name = models.CharField(_("namn"), max_length=200, unique=True)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("förvaltning")
        verbose_name_plural = _("förvaltningar")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Unit(models.Model):
    """An enhet: a preschool, a library, a home-care group. Eligibility facts are kept here
    so registration (submissions) can explain them."""

    code = models.CharField(_("enhetskod"), max_length=30, unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="units", verbose_name=_("förvaltning")
    )
    name = models.CharField(_("namn"), max_length=200)
    head_name = models.CharField(_("enhetschef"), max_length=200)
    head_email = models.EmailField(_("enhetschefens e-post"))
    staff_count = models.PositiveIntegerField(_("antal medarbetare (inklusive chef)"))
    has_operational_plan = models.BooleanField(_("har verksamhetsplan med mål"), default=False)
    is_private_provider = models.BooleanField(_("privat utförare"), default=False)
    stockholmers_share = models.PositiveSmallIntegerField(
        _("andel stockholmare (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Bara för privata utförare: andel av brukarna som är stockholmare, 0–100 %."),
    )
    contacts = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="units", verbose_name=_("kontaktpersoner")
    )

    class Meta:
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unit_name_unique_in_organisation"),
            models.CheckConstraint(
                condition=models.Q(stockholmers_share__isnull=True) | models.Q(stockholmers_share__lte=100),
                name="unit_stockholmers_share_at_most_100",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.is_private_provider and self.stockholmers_share is None:
            raise ValidationError(
                {"stockholmers_share": _("En privat utförare måste ange andelen stockholmare (0–100 %).")}
            )
        if not self.is_private_provider and self.stockholmers_share is not None:
            raise ValidationError(
                {"stockholmers_share": _("Andel stockholmare anges bara för privata utförare.")}
            )


class Phase(models.TextChoices):
    """The phases of a cycle, in order. Each ends on a date of the cycle's timeline."""

    PREPARATION = "preparation", _("Förberedelse")
    REGISTRATION = "registration", _("Anmälan")
    APPLICATION = "application", _("Skrivande av tävlingsbidrag")
    ASSESSMENT = "assessment", _("Individuell bedömning")
    CONSENSUS = "consensus", _("Konsensus")
    SHORTLISTING = "shortlisting", _("Första domarmötet")
    SITE_VISITS = "site_visits", _("Platsbesök")
    FINAL_DECISION = "final_decision", _("Slutligt domarmöte")
    AWARDED = "awarded", _("Beslut fattat, utdelning")
    FEEDBACK = "feedback", _("Återföring")


# (phase, timeline field, whether the phase includes that date). A phase that "includes"
# its date lasts until the end of that day; the others end the day before it.
PHASE_ENDS = [
    (Phase.PREPARATION, "registration_opens", False),
    (Phase.REGISTRATION, "registration_closes", True),
    (Phase.APPLICATION, "application_deadline", True),
    (Phase.ASSESSMENT, "assessment_deadline", True),
    (Phase.CONSENSUS, "consensus_deadline", True),
    (Phase.SHORTLISTING, "first_committee_meeting", True),
    (Phase.SITE_VISITS, "site_visits_end", True),
    (Phase.FINAL_DECISION, "final_committee_meeting", True),
    (Phase.AWARDED, "feedback_release", False),
]

# The timeline in the order the dates must come; each may equal the one before it.
TIMELINE_FIELDS = [
    "registration_opens",
    "registration_closes",
    "application_deadline",
    "assessment_deadline",
    "consensus_deadline",
    "first_committee_meeting",
    "site_visits_start",
    "site_visits_end",
    "final_committee_meeting",
    "ceremony_date",
    "feedback_release",
]


# A cycle's work ends this long after its feedback release: the evaluation questionnaires,
# sent in the week after the release, have been answered by then. Until that day the
# cycle stays on everyone's start page, also once the next year's cycle has opened.
QUESTIONNAIRE_PERIOD = dt.timedelta(days=42)


def parse_day_list(value: str) -> list[int]:
    """The days before a deadline on which a reminder goes: "7,2" -> [7, 2]."""
    return sorted({int(part) for part in str(value or "").replace(" ", "").split(",") if part}, reverse=True)


def validate_day_list(value: str) -> None:
    try:
        days = parse_day_list(value)
    except ValueError:
        raise ValidationError(
            _("Ange dagar som heltal åtskilda med kommatecken, till exempel 7,2.")
        ) from None
    if any(day < 0 or day > 60 for day in days):
        raise ValidationError(_("Varje dag måste vara mellan 0 och 60."))


# The cycle's reminder settings that are lists of days (award/reminders.py).
REMINDER_DAY_FIELDS = (
    "application_reminder_days",
    "assessment_reminder_days",
    "consensus_reminder_days",
    "report_reminder_days",
    "questionnaire_reminder_days",
)


class AwardCycleQuerySet(models.QuerySet):
    def current(self):
        """The cycle the platform is working on: the latest opened one."""
        return self.filter(status=AwardCycle.Status.OPEN).order_by("-year").first()

    def in_progress(self, on: dt.date | None = None):
        """Opened cycles whose work is not finished on `on` (default today), newest first:
        their feedback is not released yet, or their questionnaires are still open (see
        AwardCycle.is_finished). Two may run at once: last year's in its feedback phase
        while this year's registration is open."""
        day = on or today()
        return self.filter(
            status=AwardCycle.Status.OPEN, feedback_release__gt=day - QUESTIONNAIRE_PERIOD
        ).order_by("-year")

    def feedback_released(self, on: dt.date | None = None):
        """Cycles whose feedback release date has come on `on` (default today): the same
        rule as AwardCycle.feedback_released."""
        return self.filter(feedback_release__lte=on or today())

    def with_committee_member(self, user):
        """Cycles whose judging committee `user` sits on: the same rule as
        AwardCycle.has_committee_member, for many cycles in one query."""
        return self.filter(pk__in=CommitteeMembership.objects.filter(user=user).values("cycle"))


class AwardCycle(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Under uppbyggnad")
        OPEN = "open", _("Öppnad")

    year = models.PositiveSmallIntegerField(
        _("år"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)

    registration_opens = models.DateField(_("anmälan öppnar"))
    registration_closes = models.DateField(_("anmälan stänger"))
    application_deadline = models.DateField(
        _("sista dag för tävlingsbidrag"), help_text=_("Bidragen låses vid dagens slut, svensk tid.")
    )
    assessment_deadline = models.DateField(_("sista dag för individuell bedömning"))
    consensus_deadline = models.DateField(_("sista dag för konsensus"))
    first_committee_meeting = models.DateField(_("första domarmötet"))
    site_visits_start = models.DateField(_("platsbesök från"))
    site_visits_end = models.DateField(_("platsbesök till"))
    final_committee_meeting = models.DateField(_("slutligt domarmöte"))
    ceremony_date = models.DateField(_("prisutdelning"))
    feedback_release = models.DateField(_("återföringsrapporter släpps"))

    # Settings of the cycle used by the examination (later stages read them).
    max_applications_per_team = models.PositiveSmallIntegerField(
        _("högst antal bidrag per examinatorslag"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(2)],
        help_text=_("Ett examinatorslag tar ett eller två bidrag."),
    )
    refresher_required = models.BooleanField(
        _("erfarna examinatorer måste gå repetitionsutbildning"), default=False
    )
    discussion_threshold = models.PositiveSmallIntegerField(
        _("spridning som kräver diskussion (procentenheter)"),
        default=20,
        validators=[MaxValueValidator(100)],
    )
    show_scores_to_units = models.BooleanField(_("visa poäng i återföringsrapporten"), default=False)
    # The practice case of examiner training (examiners.models.PracticeCase).
    practice_case_required = models.BooleanField(
        _("nya examinatorer måste göra utbildningens övningsfall"),
        default=False,
        help_text=_(
            "Den som är ny blir kvalificerad först när hen har lämnat in en bedömning av övningsfallet."
        ),
    )
    practice_deviation_threshold = models.PositiveSmallIntegerField(
        _("avvikelse från referensen som föranleder ett samtal (procentenheter)"),
        default=15,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "En deltagare vars medelavvikelse från referenspoängen når gränsen markeras för ett samtal."
        ),
    )

    # Reminders the worker sends (award/reminders.py): how many days before each deadline.
    application_reminder_days = models.CharField(
        _("påminn enhetskontakter (dagar före sista dag för tävlingsbidrag)"),
        max_length=40,
        default="7,2",
        validators=[validate_day_list],
    )
    assessment_reminder_days = models.CharField(
        _("påminn examinatorer (dagar före sista dag för individuell bedömning)"),
        max_length=40,
        default="5,1",
        validators=[validate_day_list],
    )
    consensus_reminder_days = models.CharField(
        _("påminn lagledare (dagar före sista dag för konsensus)"),
        max_length=40,
        default="3,1",
        validators=[validate_day_list],
    )
    report_reminder_days = models.CharField(
        _("påminn SLK om rapporter att godkänna (dagar före släpp av återföringsrapporter)"),
        max_length=40,
        default="7,1",
        validators=[validate_day_list],
    )
    # The evaluation questionnaires (evaluation/scheduled.py): sent this many days after the
    # feedback release unless SLK sent them earlier, and those who have not answered are
    # reminded on these days after the release (within the six weeks the cycle stays open).
    questionnaire_send_day = models.PositiveSmallIntegerField(
        _("skicka enkäterna (dagar efter släpp av återföringsrapporter)"),
        default=7,
        validators=[MaxValueValidator(60)],
    )
    questionnaire_reminder_days = models.CharField(
        _("påminn om enkäterna (dagar efter släpp av återföringsrapporter)"),
        max_length=40,
        default="21,35",
        validators=[validate_day_list],
    )

    # The timeline as planned, {field: "YYYY-MM-DD"}: a draft's dates are its plan, and the
    # plan is frozen when the cycle opens. Closing a phase early or extending it moves only
    # the dates above, so next year's cycle is copied from the plan, not from how this
    # year went. Empty for a cycle that was never opened or copied through the services:
    # its dates are then its plan (planned_dates).
    planned_timeline = models.JSONField(_("planerad tidplan"), default=dict, blank=True, editable=False)

    objects = AwardCycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("utmärkelseomgång")
        verbose_name_plural = _("utmärkelseomgångar")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def clean(self):
        errors = self.timeline_order_errors()
        if errors:
            raise ValidationError(errors)

    def timeline_order_errors(self) -> dict[str, str]:
        """{field: sentence} for each date of the timeline that lies before the date
        before it (a date may equal the one before it), naming both dates in Swedish."""
        errors = {}
        previous = None
        for name in TIMELINE_FIELDS:
            value = getattr(self, name)
            if value is None:
                continue
            if previous is not None and value < previous[1]:
                errors[name] = _("%(this)s (%(this_date)s) får inte ligga före %(prev)s (%(prev_date)s).") % {
                    "this": self._meta.get_field(name).verbose_name,
                    "this_date": value.isoformat(),
                    "prev": self._meta.get_field(previous[0]).verbose_name,
                    "prev_date": previous[1].isoformat(),
                }
            if previous is None or value >= previous[1]:
                previous = (name, value)
        return errors

    def timeline_dates(self) -> dict[str, dt.date]:
        return {name: getattr(self, name) for name in TIMELINE_FIELDS}

    def planned_dates(self) -> dict[str, dt.date]:
        """The timeline as planned: a draft's own dates, an opened cycle's plan as frozen
        when it opened (its dates where no plan was recorded)."""
        dates = self.timeline_dates()
        if self.status == self.Status.DRAFT:
            return dates
        planned = self.planned_timeline or {}
        return {
            name: dt.date.fromisoformat(planned[name]) if name in planned else day
            for name, day in dates.items()
        }

    def has_committee_member(self, user, *, chair: bool = False) -> bool:
        """Whether `user` sits on this cycle's judging committee (chairs it, with `chair`).
        The role alone is not enough: a member of another year's committee is not one of
        this cycle's. Every page, service and check of the committee asks here."""
        members = CommitteeMembership.objects.of_cycle(self)
        return (members.chairs() if chair else members).filter(user=user).exists()

    def feedback_released(self, on: dt.date | None = None) -> bool:
        """Whether the cycle's feedback release date has come on `on` (default today), the
        day from which approved reports are the units' and decisions are announced. The
        one place that compares the date; AwardCycleQuerySet.feedback_released filters by it."""
        return (on or today()) >= self.feedback_release

    def is_finished(self, on: dt.date | None = None) -> bool:
        """Whether the cycle's work is done on `on` (default today): its feedback has been
        released and its questionnaires have closed (QUESTIONNAIRE_PERIOD after the
        release). The same rule as AwardCycleQuerySet.in_progress."""
        return (on or today()) >= self.feedback_release + QUESTIONNAIRE_PERIOD

    def phase_on(self, day: dt.date) -> Phase:
        for phase, field, inclusive in PHASE_ENDS:
            end = getattr(self, field)
            if day < end or (inclusive and day == end):
                return phase
        return Phase.FEEDBACK

    @property
    def phase(self) -> Phase:
        return self.phase_on(today())

    def phase_end(self, phase: Phase) -> dt.date | None:
        """The last day of a phase, or None for the open-ended feedback phase."""
        for candidate, field, inclusive in PHASE_ENDS:
            if candidate == phase:
                end = getattr(self, field)
                return end if inclusive else end - dt.timedelta(days=1)
        return None

    def phase_end_field(self, phase: Phase) -> tuple[str, bool] | None:
        for candidate, field, inclusive in PHASE_ENDS:
            if candidate == phase:
                return field, inclusive
        return None

    def timeline(self):
        """(label, date) pairs in order, for display."""
        return [(self._meta.get_field(name).verbose_name, getattr(self, name)) for name in TIMELINE_FIELDS]

    @property
    def application_deadline_at(self) -> dt.datetime:
        return end_of_day(self.application_deadline)


class Track(models.Model):
    class Kind(models.TextChoices):
        QUALITY_AWARD = "quality_award", _("Kvalitetsutmärkelsen")
        RENEWAL_PRIZE = "renewal_prize", _("Förnyelsepriset")

    cycle = models.ForeignKey(
        AwardCycle, on_delete=models.CASCADE, related_name="tracks", verbose_name=_("omgång")
    )
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        verbose_name = _("tävlingsspår")
        verbose_name_plural = _("tävlingsspår")
        ordering = ["cycle__year", "kind"]
        constraints = [models.UniqueConstraint(fields=["cycle", "kind"], name="track_kind_unique_in_cycle")]

    def __str__(self):
        return f"{self.name} {self.cycle.year}"

    @property
    def has_classes(self) -> bool:
        return self.kind == self.Kind.QUALITY_AWARD


class CompetitionClass(models.Model):
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="classes", verbose_name=_("spår"))
    name = models.CharField(_("namn"), max_length=200)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("tävlingsklass")
        verbose_name_plural = _("tävlingsklasser")
        ordering = ["track", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["track", "name"], name="class_name_unique_in_track")]

    def __str__(self):
        return self.name

    def clean(self):
        if self.track_id and not self.track.has_classes:
            raise ValidationError(_("Tävlingsklasser finns bara i Kvalitetsutmärkelsen."))


class Criterion(models.Model):
    class Kind(models.TextChoices):
        APPROACH = "approach", _("Arbetssätt")
        RESULTS = "results", _("Resultat")

    track = models.ForeignKey(
        Track, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("spår")
    )
    number = models.PositiveSmallIntegerField(_("nummer"), validators=[MinValueValidator(1)])
    title = models.CharField(_("rubrik"), max_length=200)
    applicant_guidance = models.TextField(_("vägledning för sökande"), blank=True)
    examiner_guidance = models.TextField(_("vägledning för examinatorer"), blank=True)
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices, default=Kind.APPROACH)
    weight = models.PositiveSmallIntegerField(
        _("vikt (poäng)"), validators=[MinValueValidator(1), MaxValueValidator(TOTAL_WEIGHT)]
    )
    max_length = models.PositiveIntegerField(
        _("högsta svarslängd (tecken)"), default=6000, validators=[MinValueValidator(100)]
    )

    class Meta:
        verbose_name = _("kriterium")
        verbose_name_plural = _("kriterier")
        ordering = ["track", "number"]
        constraints = [
            models.UniqueConstraint(fields=["track", "number"], name="criterion_number_unique_in_track")
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class ScoringScale(models.Model):
    """The cycle's scale: percentages in steps of 5 or 10, with band descriptors per
    criterion kind shown to examiners beside every score."""

    class Step(models.IntegerChoices):
        FIVE = 5, _("5 procentenheter")
        TEN = 10, _("10 procentenheter")

    cycle = models.OneToOneField(
        AwardCycle, on_delete=models.CASCADE, related_name="scale", verbose_name=_("omgång")
    )
    step = models.PositiveSmallIntegerField(_("steg"), choices=Step.choices, default=Step.FIVE)

    class Meta:
        verbose_name = _("bedömningsskala")
        verbose_name_plural = _("bedömningsskalor")

    def __str__(self):
        return _("Bedömningsskala %(year)s") % {"year": self.cycle.year}

    @property
    def steps(self) -> list[int]:
        return list(range(0, 101, self.step))

    def is_valid_score(self, value) -> bool:
        return isinstance(value, int) and 0 <= value <= 100 and value % self.step == 0

    def band_for(self, kind: str, value: int):
        for band in self.bands.all():
            if band.kind == kind and band.contains(value):
                return band
        return None

    def descriptor_for(self, kind: str, score: int | None) -> str:
        """The descriptor of the band `score` falls in for criteria of `kind`, as the
        consensus, the site visit and the feedback report show it beside a score; empty
        without a score or a band. Reads `bands`: prefetch them for lists."""
        if score is None:
            return ""
        band = self.band_for(kind, score)
        return band.descriptor if band else ""

    def coverage_errors(self) -> list[str]:
        """Every step of the scale must fall in exactly one band of each kind."""
        errors = []
        bands = list(self.bands.all())
        for kind, label in Criterion.Kind.choices:
            kind_bands = [b for b in bands if b.kind == kind]
            for value in self.steps:
                hits = [b for b in kind_bands if b.contains(value)]
                if len(hits) != 1:
                    problem = _("saknar nivå") if not hits else _("ligger i flera nivåer")
                    errors.append(
                        _("Skalan för %(kind)s: %(value)s %% %(problem)s.")
                        % {"kind": label.lower(), "value": value, "problem": problem}
                    )
                    break
        return errors


class ScaleBand(models.Model):
    scale = models.ForeignKey(
        ScoringScale, on_delete=models.CASCADE, related_name="bands", verbose_name=_("skala")
    )
    kind = models.CharField(_("kriterietyp"), max_length=10, choices=Criterion.Kind.choices)
    low = models.PositiveSmallIntegerField(_("från (%)"), validators=[MaxValueValidator(100)])
    high = models.PositiveSmallIntegerField(_("till (%)"), validators=[MaxValueValidator(100)])
    descriptor = models.TextField(_("beskrivning"))

    class Meta:
        verbose_name = _("nivå i skalan")
        verbose_name_plural = _("nivåer i skalan")
        ordering = ["scale", "kind", "low"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(low__lte=models.F("high")), name="band_low_not_above_high"
            ),
            models.CheckConstraint(condition=models.Q(high__lte=100), name="band_high_at_most_100"),
        ]

    def __str__(self):
        return f"{self.low}–{self.high} %"

    def contains(self, value: int) -> bool:
        return self.low <= value <= self.high

    def clean(self):
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValidationError(_("Nivåns undre gräns får inte vara större än den övre."))


class CommitteeMembershipQuerySet(models.QuerySet):
    def of_cycle(self, cycle):
        """The members of `cycle`'s committee, with their users."""
        return self.filter(cycle=cycle).select_related("user")

    def chairs(self):
        return self.filter(is_chair=True)


class CommitteeMembership(models.Model):
    """A member of a cycle's judging committee (domarkommitté); one member chairs."""

    cycle = models.ForeignKey(
        AwardCycle, on_delete=models.PROTECT, related_name="committee", verbose_name=_("omgång")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="committee_memberships",
        verbose_name=_("ledamot"),
    )
    is_chair = models.BooleanField(_("ordförande"), default=False)

    objects = CommitteeMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledamot i domarkommittén")
        verbose_name_plural = _("domarkommitté")
        ordering = ["cycle", "-is_chair", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "user"], name="committee_member_once_per_cycle"),
            models.UniqueConstraint(
                fields=["cycle"], condition=models.Q(is_chair=True), name="committee_one_chair_per_cycle"
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.cycle.year})"


class ConflictTargetMixin:
    """A declared conflict of interest with one unit (`unit`) or a whole organisation
    (`organisation`): the examiners' and the committee's conflicts share what it covers."""

    @property
    def target(self):
        return self.unit or self.organisation

    def covers(self, application) -> bool:
        return declaration_covers(
            self, unit_id=application.unit_id, organisation_id=application.unit.organisation_id
        )


class PastResult(models.Model):
    """A unit's earlier result in the award, so the two-year rule for winners can be applied."""

    class Outcome(models.TextChoices):
        WINNER = "winner", _("Vinnare")
        HONOURABLE_MENTION = "honourable_mention", _("Hedersomnämnande")

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="past_results", verbose_name=_("enhet")
    )
    year = models.PositiveSmallIntegerField(
        _("år"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    track_kind = models.CharField(_("spår"), max_length=20, choices=Track.Kind.choices)
    outcome = models.CharField(_("utfall"), max_length=20, choices=Outcome.choices)

    class Meta:
        verbose_name = _("tidigare resultat")
        verbose_name_plural = _("tidigare resultat")
        ordering = ["-year", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "track_kind"], name="past_result_once_per_year_and_track"
            )
        ]

    def __str__(self):
        return f"{self.unit} {self.year}: {self.get_outcome_display()}"


class AuditEntry(models.Model):
    """Who changed what, written by every service inside its own transaction."""

    at = models.DateTimeField(_("tidpunkt"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("utförd av"),
    )
    action = models.CharField(_("händelse"), max_length=100)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("typ av objekt")
    )
    object_id = models.CharField(_("objektets id"), max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("objekt"), max_length=300, blank=True)
    changes = models.JSONField(_("ändringar"), default=dict, blank=True)
    reason = models.TextField(_("motivering"), blank=True)

    class Meta:
        verbose_name = _("logghändelse")
        verbose_name_plural = _("logg")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    @property
    def label(self) -> str:
        """The action's Swedish name, as every log shows it (each app's AuditAction,
        registered with award.audit; imported here at use, since audit imports this module)."""
        from award.audit import action_label

        return action_label(self.action)


# --- Background work: the outbox, the worker's heartbeat, the scheduler, jobs -------------


class OutboxMessageQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=OutboxMessage.Status.PENDING)

    def sent(self):
        return self.filter(status=OutboxMessage.Status.SENT)

    def failed(self):
        return self.filter(status=OutboxMessage.Status.FAILED)

    def due(self, now: dt.datetime):
        """Pending and due now, or claimed by a worker that stopped before finishing (its
        claim older than OutboxMessage.CLAIM_TIMEOUT)."""
        return self.filter(
            models.Q(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
            | models.Q(status=OutboxMessage.Status.SENDING, claimed_at__lt=now - OutboxMessage.CLAIM_TIMEOUT)
        )


class OutboxMessage(models.Model):
    """One e-mail to one person, stored in the transaction that caused it and sent by the
    worker (award/outbox.py). `key` names the event; (key, recipient) is unique, so a
    retried job or a second worker never writes, nor sends, the same e-mail twice."""

    CLAIM_TIMEOUT = dt.timedelta(minutes=10)

    class Status(models.TextChoices):
        PENDING = "pending", _("Väntar")
        SENDING = "sending", _("Skickas")
        SENT = "sent", _("Skickat")
        FAILED = "failed", _("Misslyckades")

    key = models.CharField(_("händelse"), max_length=200)
    recipient = models.EmailField(_("mottagare"))
    subject = models.CharField(_("ämne"), max_length=300)
    body = models.TextField(_("text"))
    reason = models.CharField(_("varför"), max_length=200, blank=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("typ av objekt")
    )
    object_id = models.CharField(_("objektets id"), max_length=64, blank=True)
    related = GenericForeignKey("content_type", "object_id")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    created_at = models.DateTimeField(_("skapat"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("nästa försök"), default=timezone.now)
    claimed_at = models.DateTimeField(_("sändning påbörjad"), null=True, blank=True)
    claimed_by = models.CharField(_("skickas av bakgrundsprocess"), max_length=100, blank=True)
    sent_at = models.DateTimeField(_("skickat"), null=True, blank=True)
    last_error = models.TextField(_("senaste fel"), blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("utgående e-post")
        verbose_name_plural = _("utgående e-post")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["key", "recipient"], name="outbox_once_per_event_and_person")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.recipient}: {self.subject}"

    @property
    def is_sent(self) -> bool:
        return self.status == self.Status.SENT

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED


class WorkerHeartbeat(models.Model):
    """A running worker says it is alive every tick (shown on the outbox page)."""

    worker_id = models.CharField(_("bakgrundsprocessens namn"), max_length=100, unique=True)
    host = models.CharField(_("server"), max_length=200, blank=True)
    pid = models.PositiveIntegerField(_("processnummer (PID)"), default=0)
    started_at = models.DateTimeField(_("startad"), default=timezone.now)
    last_seen = models.DateTimeField(_("senast aktiv"), default=timezone.now)

    class Meta:
        verbose_name = _("bakgrundsprocess")
        verbose_name_plural = _("bakgrundsprocesser")
        ordering = ["-last_seen"]

    def __str__(self):
        return self.worker_id

    def is_alive(self, now: dt.datetime | None = None) -> bool:
        interval = dt.timedelta(seconds=max(getattr(settings, "TICK_SECONDS", 60), 1))
        return (now or timezone.now()) - self.last_seen <= 3 * interval


class ScheduleSlot(models.Model):
    """When a periodic job is next due. A worker runs it only if it moves `next_due` on in
    one conditional update, so among many workers one runs each tick."""

    name = models.CharField(_("arbete"), max_length=50, unique=True)
    next_due = models.DateTimeField(_("nästa körning"), default=timezone.now)
    last_run = models.DateTimeField(_("senaste körning"), null=True, blank=True)

    class Meta:
        verbose_name = _("schemalagt arbete")
        verbose_name_plural = _("schemalagda arbeten")

    def __str__(self):
        return self.name


class BackgroundJobQuerySet(models.QuerySet):
    def expired(self, now: dt.datetime):
        return self.filter(expires_at__lt=now)


class BackgroundJob(models.Model):
    """Long work run by the worker (award/jobs.py): who asked, how far it has come, and the
    file it made, kept until `expires_at`."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kö")
        RUNNING = "running", _("Pågår")
        DONE = "done", _("Klar")
        FAILED = "failed", _("Misslyckades")

    kind = models.CharField(_("arbete"), max_length=50)
    params = models.JSONField(_("uppgifter till arbetet"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("beställt av")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(_("klara steg"), default=0)
    total = models.PositiveIntegerField(_("antal steg"), default=0)
    file = models.FileField(_("fil"), upload_to="jobs/", blank=True)
    filename = models.CharField(_("filnamn"), max_length=200, blank=True)
    content_type = models.CharField(_("filtyp"), max_length=100, blank=True)
    error = models.TextField(_("fel"), blank=True)
    created_at = models.DateTimeField(_("beställt"), default=timezone.now)
    finished_at = models.DateTimeField(_("klart"), null=True, blank=True)
    expires_at = models.DateTimeField(_("tas bort"), null=True, blank=True)

    objects = BackgroundJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("arbete i bakgrunden")
        verbose_name_plural = _("arbeten i bakgrunden")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
