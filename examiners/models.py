"""The examiner pool of each cycle, its training, declared conflicts of interest, and the
teams that assess the submitted applications.

A person has one `ExaminerProfile` across the years; taking part in a cycle is a
`PoolMember` row. Teams, training and conflicts all hang off the pool membership, so a
year's history stays readable after the next cycle starts.
"""

from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from award.models import AwardCycle, ConflictTargetMixin, Organisation, Track, Unit
from examiners.conflicts import Ground, Ties
from submissions.models import Application


class ExaminerProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="examiner_profile",
        verbose_name=_("användare"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="examiners",
        verbose_name=_("förvaltning eller bolag"),
    )
    employer_unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="examiners",
        verbose_name=_("arbetsplats (enhet)"),
    )
    employer = models.CharField(_("arbetsgivare"), max_length=200, blank=True)
    job_title = models.CharField(_("befattning"), max_length=200, blank=True)
    # Earlier years, kept from before the platform existed; later years come from the pool.
    years_served = models.JSONField(_("år som examinator"), default=list, blank=True)
    years_led = models.JSONField(_("år som lagledare"), default=list, blank=True)
    areas = models.JSONField(
        _("kunskapsområden"),
        default=list,
        blank=True,
        help_text=_("Tävlingsklasser personen känner väl, t.ex. ”Förskola”."),
    )

    class Meta:
        verbose_name = _("examinatorsprofil")
        verbose_name_plural = _("examinatorsprofiler")
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self):
        return self.user.get_full_name() or self.user.username

    def served_before(self, year: int) -> bool:
        return any(y < year for y in self.years_served)

    def led_before(self, year: int) -> bool:
        return any(y < year for y in self.years_led)


class PoolMember(models.Model):
    """A person in one cycle's examiner pool: volunteered, then accepted by SLK."""

    class Status(models.TextChoices):
        VOLUNTEERED = "volunteered", _("Intresseanmäld")
        ACCEPTED = "accepted", _("Antagen")
        DECLINED = "declined", _("Inte antagen")
        WITHDRAWN = "withdrawn", _("Har hoppat av")

    cycle = models.ForeignKey(
        AwardCycle, on_delete=models.PROTECT, related_name="pool", verbose_name=_("omgång")
    )
    profile = models.ForeignKey(
        ExaminerProfile, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("examinator")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.VOLUNTEERED)
    available = models.BooleanField(_("tillgänglig under bedömningsperioden"), default=True)
    availability_note = models.CharField(_("kommentar om tillgänglighet"), max_length=300, blank=True)
    manager_name = models.CharField(_("chef som godkänt"), max_length=200, blank=True)
    manager_approved_on = models.DateField(_("chefens godkännande, datum"), null=True, blank=True)
    max_teams = models.PositiveSmallIntegerField(
        _("högst antal lag"),
        default=1,
        help_text=_("SLK kan tillåta att en examinator ingår i fler än ett lag."),
    )
    volunteered_at = models.DateTimeField(_("intresseanmäld"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beslutad av"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("beslutad"))

    class Meta:
        verbose_name = _("examinator i omgången")
        verbose_name_plural = _("examinatorspool")
        ordering = ["profile__user__last_name", "profile__user__first_name"]
        constraints = [models.UniqueConstraint(fields=["cycle", "profile"], name="one_pool_row_per_cycle")]

    def __str__(self):
        return f"{self.profile} ({self.cycle.year})"

    @property
    def user(self):
        return self.profile.user

    @property
    def is_experienced(self) -> bool:
        return self.profile.served_before(self.cycle.year)

    @property
    def has_led(self) -> bool:
        return self.profile.led_before(self.cycle.year)

    @property
    def manager_approved(self) -> bool:
        return bool(self.manager_name and self.manager_approved_on)

    @property
    def may_volunteer_again(self) -> bool:
        """Whether sending the volunteer form again updates this offer: until SLK has
        accepted or declined it (`services.pool_volunteer` refuses after that)."""
        return self.status not in (self.Status.ACCEPTED, self.Status.DECLINED)

    def training_status(self) -> "TrainingStatus":
        """The training rule: someone new this cycle must attend every day of a basic
        training; an experienced examiner needs a refresher (or the basic training) when
        the cycle asks for one. Reads `enrolments` with their session days and attendance,
        so prefetch those for lists."""
        needs = TrainingSession.Kind.BASIC if not self.is_experienced else None
        if needs is None and not self.cycle.refresher_required:
            return TrainingStatus(True, _("Erfaren, ingen repetition krävs i år"))
        accepted = (
            {TrainingSession.Kind.BASIC}
            if needs
            else {TrainingSession.Kind.BASIC, TrainingSession.Kind.REFRESHER}
        )
        enrolled = []
        for enrolment in self.enrolments.all():
            if enrolment.session.kind not in accepted or enrolment.status != Enrolment.Status.ENROLLED:
                continue
            days = {day.pk for day in enrolment.session.days.all()}
            present = {a.day_id for a in enrolment.attendance.all() if a.present}
            if days and days <= present:
                if needs and self.cycle.practice_case_required and not self.practice_case_done:
                    return TrainingStatus(
                        False,
                        _("Har gått hela %(session)s men inte lämnat in övningsfallet")
                        % {"session": enrolment.session},
                    )
                return TrainingStatus(True, _("Har gått hela %(session)s") % {"session": enrolment.session})
            enrolled.append(enrolment.session)
        if enrolled:
            return TrainingStatus(
                False, _("Anmäld till %(session)s, inte genomförd") % {"session": enrolled[0]}
            )
        if needs:
            return TrainingStatus(False, _("Ny examinator: saknar grundutbildning"))
        return TrainingStatus(False, _("Saknar repetitionsutbildning"))

    @property
    def practice_case_done(self) -> bool:
        """Whether this examiner has submitted an assessment of a practice case of the
        cycle's training. Reads `practice_assessments`: prefetch it for lists."""
        return any(a.is_submitted for a in self.practice_assessments.all())

    def ties(self) -> Ties:
        """What this examiner's conflicts of interest follow from (R8, `examiners.conflicts`).
        Reads `profile` and `conflicts`: prefetch them for lists."""
        return Ties(
            organisation_id=self.profile.organisation_id,
            employer_unit_id=self.profile.employer_unit_id,
            declarations=tuple(self.conflicts.all()),
        )

    def conflict_reasons(self, application) -> list[str]:
        """Why this examiner may not assess the application (empty when there is no
        conflict), by `Ties.grounds`. Reads `profile` and `conflicts`: prefetch them for lists."""
        unit = application.unit
        reasons = []
        for ground, conflict in self.ties().grounds(unit_id=unit.pk, organisation_id=unit.organisation_id):
            if ground is Ground.ADMINISTRATION:
                reasons.append(
                    _("%(name)s arbetar i samma förvaltning som %(unit)s")
                    % {"name": self.profile, "unit": unit.name}
                )
            elif ground is Ground.WORKPLACE:
                reasons.append(_("%(name)s arbetar på %(unit)s") % {"name": self.profile, "unit": unit.name})
            else:
                reasons.append(
                    _("%(name)s har anmält jäv mot %(target)s: %(reason)s")
                    % {"name": self.profile, "target": conflict.target, "reason": conflict.reason}
                )
        return reasons


class TrainingStatus(NamedTuple):
    qualified: bool
    label: str


class TrainingSession(models.Model):
    class Kind(models.TextChoices):
        BASIC = "basic", _("Grundutbildning för nya examinatorer")
        REFRESHER = "refresher", _("Repetitionsutbildning")
        CALIBRATION = "calibration", _("Kalibreringsworkshop")

    cycle = models.ForeignKey(
        AwardCycle, on_delete=models.PROTECT, related_name="training_sessions", verbose_name=_("omgång")
    )
    kind = models.CharField(_("typ"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("rubrik"), max_length=200)
    place = models.CharField(_("plats"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("antal platser"))
    trainer = models.CharField(_("utbildare"), max_length=200)
    notes = models.TextField(_("information till deltagarna"), blank=True)

    class Meta:
        verbose_name = _("utbildningstillfälle")
        verbose_name_plural = _("utbildningstillfällen")
        ordering = ["cycle", "kind", "pk"]

    def __str__(self):
        return self.title


class TrainingDay(models.Model):
    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="days", verbose_name=_("utbildningstillfälle")
    )
    date = models.DateField(_("datum"))
    starts = models.TimeField(_("börjar"), default="09:00")
    ends = models.TimeField(_("slutar"), default="16:00")

    class Meta:
        verbose_name = _("utbildningsdag")
        verbose_name_plural = _("utbildningsdagar")
        ordering = ["date", "starts"]
        constraints = [models.UniqueConstraint(fields=["session", "date"], name="one_training_day_per_date")]

    def __str__(self):
        return f"{self.session} {self.date:%Y-%m-%d}"


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Anmäld")
        WAITING = "waiting", _("På väntelista")
        CANCELLED = "cancelled", _("Avanmäld")

    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("utbildningstillfälle"),
    )
    member = models.ForeignKey(
        PoolMember, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("examinator")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # Waiting-list order: first come, first served.
    requested_at = models.DateTimeField(_("anmäld"), default=timezone.now)
    changed_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("anmälan till utbildning")
        verbose_name_plural = _("anmälningar till utbildning")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="one_enrolment_per_session")
        ]

    def __str__(self):
        return f"{self.member} – {self.session}"

    @property
    def is_waiting(self) -> bool:
        return self.status == self.Status.WAITING


class Attendance(models.Model):
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("anmälan")
    )
    day = models.ForeignKey(
        TrainingDay, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("dag")
    )
    present = models.BooleanField(_("närvarande"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registrerad av")
    )
    marked_at = models.DateTimeField(_("registrerad"), auto_now=True)

    class Meta:
        verbose_name = _("närvaro")
        verbose_name_plural = _("närvaro")
        constraints = [models.UniqueConstraint(fields=["enrolment", "day"], name="one_mark_per_day")]

    def __str__(self):
        return f"{self.enrolment.member} {self.day.date:%Y-%m-%d}: {'närvarande' if self.present else 'frånvarande'}"


class PracticeCase(models.Model):
    """The calibration case of a training session: a written case, or a past application
    copied and anonymised, with SLK's reference consensus per criterion. Trainees assess
    it before the session on the cycle's scale; the trainer compares them at it.

    It lives with the training, not with scoring, because qualification (here) asks
    whether a new examiner has done it, and this app may not import scoring."""

    session = models.OneToOneField(
        TrainingSession,
        on_delete=models.CASCADE,
        related_name="practice_case",
        verbose_name=_("utbildningstillfälle"),
    )
    track = models.ForeignKey(
        Track, on_delete=models.PROTECT, related_name="+", verbose_name=_("spår (kriterierna)")
    )
    title = models.CharField(_("rubrik"), max_length=200)
    introduction = models.TextField(_("om fallet"), blank=True)
    # The application it was copied from, for SLK only; trainees never see it.
    source = models.ForeignKey(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kopierat från bidrag"),
    )
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("övningsfall")
        verbose_name_plural = _("övningsfall")

    def __str__(self):
        return self.title


class PracticeCaseItem(models.Model):
    """The case's text for one criterion and the reference consensus on it."""

    case = models.ForeignKey(
        PracticeCase, on_delete=models.CASCADE, related_name="items", verbose_name=_("övningsfall")
    )
    criterion = models.ForeignKey(
        "award.Criterion", on_delete=models.PROTECT, related_name="+", verbose_name=_("kriterium")
    )
    text = models.TextField(_("fallets text"), blank=True)
    reference_score = models.PositiveSmallIntegerField(_("referenspoäng (%)"), null=True, blank=True)
    reference_strengths = models.JSONField(_("referensens styrkor"), default=list, blank=True)
    reference_improvements = models.JSONField(_("referensens förbättringsområden"), default=list, blank=True)

    class Meta:
        verbose_name = _("övningsfall per kriterium")
        verbose_name_plural = _("övningsfall per kriterium")
        ordering = ["criterion__number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "criterion"], name="one_practice_item_per_criterion")
        ]

    def __str__(self):
        return f"{self.case} – {self.criterion.number}"


class PracticeAssessmentQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=PracticeAssessment.Status.SUBMITTED)


class PracticeAssessment(models.Model):
    """A trainee's assessment of the practice case: the same scale and the same
    independence as a real one (nothing of others' or the reference until submitted)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Pågår")
        SUBMITTED = "submitted", _("Inlämnad")

    case = models.ForeignKey(
        PracticeCase, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("övningsfall")
    )
    member = models.ForeignKey(
        PoolMember,
        on_delete=models.CASCADE,
        related_name="practice_assessments",
        verbose_name=_("examinator"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("inlämnad"), null=True, blank=True)

    objects = PracticeAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("bedömning av övningsfall")
        verbose_name_plural = _("bedömningar av övningsfall")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "member"], name="one_practice_assessment_per_member")
        ]

    def __str__(self):
        return f"{self.case}: {self.member.profile}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class PracticeAssessmentItem(models.Model):
    assessment = models.ForeignKey(
        PracticeAssessment, on_delete=models.CASCADE, related_name="items", verbose_name=_("bedömning")
    )
    criterion = models.ForeignKey(
        "award.Criterion", on_delete=models.PROTECT, related_name="+", verbose_name=_("kriterium")
    )
    score = models.PositiveSmallIntegerField(_("poäng (%)"), null=True, blank=True)
    strengths = models.JSONField(_("styrkor"), default=list, blank=True)
    improvements = models.JSONField(_("förbättringsområden"), default=list, blank=True)
    version = models.PositiveIntegerField(_("versionsnummer"), default=1)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("övningsbedömning per kriterium")
        verbose_name_plural = _("övningsbedömningar per kriterium")
        ordering = ["criterion__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="one_practice_assessment_item_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self.assessment} – {self.criterion.number}"


class Conflict(ConflictTargetMixin, models.Model):
    """A declared conflict of interest (jäv) with one unit or a whole organisation.
    Conflicts with the examiner's own organisation and workplace are never stored: they
    follow from the profile."""

    class Source(models.TextChoices):
        JOINING = "joining", _("Vid anmälan till poolen")
        OPENING = "opening", _("När bidraget öppnades")
        EXAMINER = "examiner", _("Anmäld av examinatorn")
        SLK = "slk", _("Registrerad av SLK")

    member = models.ForeignKey(
        PoolMember, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("examinator")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("enhet")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("förvaltning"),
    )
    reason = models.TextField(_("skäl"))
    source = models.CharField(_("källa"), max_length=10, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registrerad av")
    )
    recorded_at = models.DateTimeField(default=timezone.now, verbose_name=_("registrerad"))

    class Meta:
        verbose_name = _("jäv")
        verbose_name_plural = _("jäv")
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, organisation__isnull=True)
                | Q(unit__isnull=True, organisation__isnull=False),
                name="conflict_names_unit_or_organisation",
            )
        ]

    def __str__(self):
        return f"{self.member}: {self.unit or self.organisation}"


class ApplicationOpening(models.Model):
    """The first time an examiner opened an assigned application, after answering whether
    they have a conflict with it."""

    member = models.ForeignKey(
        PoolMember, on_delete=models.CASCADE, related_name="openings", verbose_name=_("examinator")
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="+", verbose_name=_("bidrag")
    )
    at = models.DateTimeField(_("öppnat"), default=timezone.now)

    class Meta:
        verbose_name = _("öppnat bidrag")
        verbose_name_plural = _("öppnade bidrag")
        constraints = [models.UniqueConstraint(fields=["member", "application"], name="one_opening")]

    def __str__(self):
        return f"{self.member} öppnade {self.application_id}"


class TeamQuerySet(models.QuerySet):
    def confirmed(self):
        """Teams SLK has confirmed: their members hold the permissions on their applications."""
        return self.filter(status=Team.Status.CONFIRMED)

    def drafts(self):
        """Proposed teams, not yet confirmed: what a new proposal replaces."""
        return self.filter(status=Team.Status.DRAFT)


class Team(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Förslag")
        CONFIRMED = "confirmed", _("Fastställt")

    cycle = models.ForeignKey(
        AwardCycle, on_delete=models.PROTECT, related_name="teams", verbose_name=_("omgång")
    )
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="teams", verbose_name=_("spår"))
    name = models.CharField(_("namn"), max_length=100)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    reasons = models.JSONField(_("motivering"), default=list, blank=True)
    flag = models.TextField(
        _("behöver åtgärdas"),
        blank=True,
        help_text=_("Till exempel ett jäv som anmälts efter tilldelningen."),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fastställt av"),
    )
    confirmed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("fastställt"))
    # SLK's extension of the individual assessment for this team (scoring.services.
    # assessment_deadline_extend); the cycle's assessment deadline otherwise.
    assessment_deadline_extended_to = models.DateField(
        _("individuell bedömning förlängd till och med"), null=True, blank=True
    )

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("examinatorslag")
        verbose_name_plural = _("examinatorslag")
        ordering = ["cycle", "name"]
        constraints = [models.UniqueConstraint(fields=["cycle", "name"], name="unique_team_name_per_cycle")]

    def __str__(self):
        return self.name

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members", verbose_name=_("lag"))
    member = models.ForeignKey(
        PoolMember, on_delete=models.PROTECT, related_name="teams", verbose_name=_("examinator")
    )
    is_leader = models.BooleanField(_("lagledare"), default=False)

    class Meta:
        verbose_name = _("lagmedlem")
        verbose_name_plural = _("lagmedlemmar")
        ordering = ["-is_leader", "member__profile__user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "member"], name="member_once_per_team"),
            models.UniqueConstraint(fields=["team"], condition=Q(is_leader=True), name="one_leader_per_team"),
        ]

    def __str__(self):
        return f"{self.member.profile} i {self.team}"


class Assignment(models.Model):
    """An application given to a team. An application has at most one team."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("lag")
    )
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="assignment", verbose_name=_("bidrag")
    )

    class Meta:
        verbose_name = _("tilldelning")
        verbose_name_plural = _("tilldelningar")
        ordering = ["application__code"]

    def __str__(self):
        return f"{self.application.code} → {self.team}"
