"""The examiner pool, training, conflicts and teams in the admin, for SLK.

Mostly for looking things up. What has a service is changed through it: accepting people
into the pool is an admin action calling `services.pool_decide`; the manager's approval
and the number of teams on a pool row, and a profile's organisation and workplace, are
saved through their services (a refusal is shown on the form and nothing is saved).
Teams, their members and applications, and training sessions, enrolments and attendance
are changed on their own pages (so the rules are checked, access is granted and
participants are told); here they are read-only, with a link to that page. Conflicts of
interest are history and cannot be changed. The pool can be imported and exported as
XLSX or CSV.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from award import admin as award_admin
from award.admin import AwardImportExportAdmin, ReadOnlyAdminMixin, ServiceAdminMixin, service_call
from award.forms import CleanTextMixin
from examiners import services
from examiners.models import (
    ApplicationOpening,
    Assignment,
    Attendance,
    Conflict,
    Enrolment,
    ExaminerProfile,
    PoolMember,
    PracticeAssessment,
    PracticeAssessmentItem,
    PracticeCase,
    PracticeCaseItem,
    Team,
    TeamMember,
    TrainingDay,
    TrainingSession,
)
from examiners.resources import PoolMemberResource, TextListWidget, YearListWidget

TEAMS_NOTE = gettext_lazy(
    "Lag ändras på lagsidorna för examinatorer, där reglerna för jäv, utbildning och "
    "lagstorlek kontrolleras och examinatorerna får åtkomst till bidragen. Här kan laget bara visas."
)
TRAINING_NOTE = gettext_lazy(
    "Utbildningstillfällen skapas och ändras på utbildningssidorna för examinatorer, så att "
    "anmälda deltagare får besked om ändringar och väntelistan flyttas fram. Här kan de bara visas."
)
CONFLICTS_NOTE = gettext_lazy(
    "Jäv är historik och ändras inte i efterhand. Examinatorer anmäler jäv själva; SLK registrerar "
    "jäv på examinatorns sida."
)


def site_link(url_name: str, obj, text) -> str:
    """A link to the object's page on the site, where it is changed."""
    if obj is None or obj.pk is None:
        return "–"
    return award_admin.site_link(url_name, [obj.pk], text)


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


# --- Profiles ---------------------------------------------------------------------------


class YearsField(forms.CharField):
    """Years typed as "2023, 2024", kept as a sorted list of numbers."""

    widget_class = YearListWidget

    def prepare_value(self, value):
        if isinstance(value, list):
            return self.widget_class().render(value)
        return value

    def to_python(self, value):
        try:
            return self.widget_class().clean(super().to_python(value))
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from None

    def has_changed(self, initial, data):
        return self.to_python(self.prepare_value(initial) or "") != self.to_python(data)


class WordsField(YearsField):
    """Phrases typed with commas between them, e.g. "Förskola, Skola"."""

    widget_class = TextListWidget


class ExaminerProfileForm(CleanTextMixin, forms.ModelForm):
    years_served = YearsField(
        label=gettext_lazy("År som examinator"),
        required=False,
        help_text=gettext_lazy("År före plattformen, med kommatecken emellan, t.ex. 2022, 2023."),
    )
    years_led = YearsField(
        label=gettext_lazy("År som lagledare"),
        required=False,
        help_text=gettext_lazy("År före plattformen, med kommatecken emellan."),
    )
    areas = WordsField(
        label=gettext_lazy("Kunskapsområden"),
        required=False,
        help_text=gettext_lazy("Tävlingsklasser personen känner väl, med kommatecken emellan."),
    )

    class Meta:
        model = ExaminerProfile
        fields = [
            "organisation",
            "employer_unit",
            "employer",
            "job_title",
            "years_served",
            "years_led",
            "areas",
        ]

    def clean(self):
        cleaned = super().clean()
        unit, organisation = cleaned.get("employer_unit"), cleaned.get("organisation")
        if unit is not None and organisation is not None and unit.organisation_id != organisation.pk:
            self.add_error(
                "employer_unit",
                _("Enheten %(unit)s hör inte till %(organisation)s.")
                % {"unit": unit.name, "organisation": organisation.name},
            )
        return cleaned


class MembershipInline(ReadOnlyInline):
    model = PoolMember
    fields = ("cycle", "status", "available", "manager_approved_on", "max_teams")
    show_change_link = True
    verbose_name_plural = gettext_lazy("Omgångar i examinatorspoolen")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("cycle", "profile__user")


@admin.register(ExaminerProfile)
class ExaminerProfileAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """People are added to the pool through the volunteer form or the pool import. A
    profile is saved through `services.profile_update`: a new organisation or workplace
    may create a conflict with a team's application, whose access then goes at once."""

    form = ExaminerProfileForm

    def save_model(self, request, obj, form, change):
        values = {
            name: form.cleaned_data[name] for name in form.changed_data if name in services.PROFILE_FIELDS
        }
        with service_call():
            services.profile_update(profile=obj, values=values, by=request.user)

    list_display = (
        "__str__",
        "email",
        "organisation",
        "employer_unit",
        "years_list",
        "led_list",
        "area_list",
    )
    list_filter = ("organisation",)
    list_select_related = ("user", "organisation", "employer_unit")
    search_fields = ("user__first_name", "user__last_name", "user__email", "user__username")
    autocomplete_fields = ("organisation", "employer_unit")
    readonly_fields = ("user",)
    fields = ("user", *ExaminerProfileForm.Meta.fields)
    inlines = [MembershipInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting a profile would delete its pool rows, teams and conflicts.
        return False

    @admin.display(description=gettext_lazy("e-post"), ordering="user__email")
    def email(self, obj):
        return obj.user.email

    @admin.display(description=gettext_lazy("år som examinator"))
    def years_list(self, obj):
        return YearListWidget().render(obj.years_served) or "–"

    @admin.display(description=gettext_lazy("år som lagledare"))
    def led_list(self, obj):
        return YearListWidget().render(obj.years_led) or "–"

    @admin.display(description=gettext_lazy("kunskapsområden"))
    def area_list(self, obj):
        return TextListWidget().render(obj.areas) or "–"


# --- The pool ---------------------------------------------------------------------------


class PoolMemberForm(CleanTextMixin, forms.ModelForm):
    """The manager's approval and the number of teams; saved through the services."""

    class Meta:
        model = PoolMember
        fields = ["manager_name", "manager_approved_on", "max_teams"]

    def clean(self):
        cleaned = super().clean()
        if {"manager_name", "manager_approved_on"} & set(self.changed_data):
            if not (cleaned.get("manager_name") or "").strip():
                self.add_error("manager_name", _("Ange chefens namn."))
            if not cleaned.get("manager_approved_on"):
                self.add_error("manager_approved_on", _("Ange datum för chefens godkännande."))
        max_teams = cleaned.get("max_teams")
        if max_teams is not None and max_teams < 1:
            self.add_error("max_teams", _("En examinator måste kunna ingå i minst ett lag."))
        return cleaned


class ConflictInline(ReadOnlyInline):
    model = Conflict
    fields = ("target", "reason", "source", "recorded_by", "recorded_at")
    verbose_name_plural = gettext_lazy("Anmälda jäv")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit", "organisation", "recorded_by")

    @admin.display(description=gettext_lazy("gäller"))
    def target(self, obj):
        return obj.target


@admin.register(PoolMember)
class PoolMemberAdmin(ServiceAdminMixin, AwardImportExportAdmin):
    resource_classes = [PoolMemberResource]
    form = PoolMemberForm
    list_display = (
        "__str__",
        "email",
        "cycle",
        "status",
        "available",
        "manager_approved_display",
        "training",
        "max_teams",
    )
    list_display_links = ("__str__",)
    list_filter = ("cycle", "status", "available", "profile__organisation")
    list_select_related = ("cycle", "profile__user", "profile__organisation")
    search_fields = (
        "profile__user__first_name",
        "profile__user__last_name",
        "profile__user__email",
        "profile__user__username",
    )
    actions = ["accept", "decline"]
    readonly_fields = (
        "site_page",
        "profile",
        "cycle",
        "status",
        "decided_by",
        "decided_at",
        "volunteered_at",
        "available",
        "availability_note",
        "training",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "site_page",
                    "profile",
                    "cycle",
                    "status",
                    "decided_by",
                    "decided_at",
                    "volunteered_at",
                )
            },
        ),
        (gettext_lazy("Tillgänglighet"), {"fields": ("available", "availability_note")}),
        (gettext_lazy("Chefens godkännande"), {"fields": ("manager_name", "manager_approved_on")}),
        (gettext_lazy("Lag och utbildning"), {"fields": ("max_teams", "training")}),
    )
    inlines = [ConflictInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "enrolments",
                    queryset=Enrolment.objects.select_related("session").prefetch_related(
                        "session__days", "attendance"
                    ),
                )
            )
        )

    def has_add_permission(self, request):
        # People volunteer through the form on the site or come in through the import.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("poolsidan"))
    def site_page(self, obj):
        return site_link("examiners:pool_member", obj, _("Öppna examinatorn på poolsidorna"))

    @admin.display(description=gettext_lazy("e-post"), ordering="profile__user__email")
    def email(self, obj):
        return obj.profile.user.email

    @admin.display(description=gettext_lazy("chefen har godkänt"), boolean=True)
    def manager_approved_display(self, obj):
        return obj.manager_approved

    @admin.display(description=gettext_lazy("utbildning"))
    def training(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        return obj.training_status().label

    def save_model(self, request, obj, form, change):
        with service_call():
            if {"manager_name", "manager_approved_on"} & set(form.changed_data):
                services.manager_approval_record(
                    member=obj,
                    manager_name=obj.manager_name,
                    approved_on=obj.manager_approved_on,
                    by=request.user,
                )
            if "max_teams" in form.changed_data:
                services.pool_member_settings(member=obj, max_teams=obj.max_teams, by=request.user)

    @admin.action(description=gettext_lazy("Anta till poolen"), permissions=["change"])
    def accept(self, request, queryset):
        self._decide(request, queryset, accept=True)

    @admin.action(description=gettext_lazy("Anta inte"), permissions=["change"])
    def decline(self, request, queryset):
        self._decide(request, queryset, accept=False)

    def _decide(self, request, queryset, *, accept: bool):
        """Each row is decided on its own (the service is atomic): one refusal does not
        undo the others, and each refusal is reported with the person's name."""
        target = PoolMember.Status.ACCEPTED if accept else PoolMember.Status.DECLINED
        done, already = [], []
        for member in queryset.select_related("cycle", "profile__user").order_by(
            "profile__user__last_name", "profile__user__first_name", "pk"
        ):
            if member.status == target:
                already.append(member)
                continue
            try:
                services.pool_decide(member=member, accept=accept, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                reasons = error.messages if isinstance(error, ValidationError) else [str(error)]
                self.message_user(
                    request,
                    _("%(member)s: %(reason)s") % {"member": member, "reason": " ".join(reasons)},
                    level=messages.ERROR,
                )
            else:
                done.append(member)
        if done:
            names = ", ".join(str(member.profile) for member in done)
            if accept:
                text = ngettext(
                    "%(count)s examinator antogs till poolen: %(names)s.",
                    "%(count)s examinatorer antogs till poolen: %(names)s.",
                    len(done),
                )
            else:
                text = ngettext(
                    "%(count)s intresseanmälan antogs inte: %(names)s.",
                    "%(count)s intresseanmälningar antogs inte: %(names)s.",
                    len(done),
                )
            self.message_user(request, text % {"count": len(done), "names": names}, level=messages.SUCCESS)
        if already:
            self.message_user(
                request,
                _("Har redan status ”%(status)s” och ändrades inte: %(names)s.")
                % {
                    "status": str(target.label).lower(),
                    "names": ", ".join(str(member.profile) for member in already),
                },
                level=messages.INFO,
            )


# --- Training ---------------------------------------------------------------------------


class TrainingDayInline(ReadOnlyInline):
    model = TrainingDay
    fields = ("date", "starts", "ends")


class EnrolmentInline(ReadOnlyInline):
    model = Enrolment
    fields = ("member", "status", "requested_at")
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member__profile__user", "member__cycle")


@admin.register(TrainingSession)
class TrainingSessionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "title",
        "cycle",
        "kind",
        "place",
        "capacity",
        "day_count",
        "enrolled_count",
        "waiting_count",
    )
    list_filter = ("cycle", "kind")
    list_select_related = ("cycle",)
    search_fields = ("title", "place", "trainer")
    fieldsets = (
        (
            None,
            {
                "fields": ("site_page", "cycle", "kind", "title", "place", "capacity", "trainer", "notes"),
                "description": TRAINING_NOTE,
            },
        ),
    )
    readonly_fields = ("site_page",)
    inlines = [TrainingDayInline, EnrolmentInline]

    @admin.display(description=gettext_lazy("utbildningssidan"))
    def site_page(self, obj):
        return site_link("examiners:session_roster", obj, _("Öppna tillfället på utbildningssidorna"))

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                day_count=Count("days", distinct=True),
                enrolled_count=Count(
                    "enrolments", filter=Q(enrolments__status=Enrolment.Status.ENROLLED), distinct=True
                ),
                waiting_count=Count(
                    "enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITING), distinct=True
                ),
            )
        )

    @admin.display(description=gettext_lazy("dagar"), ordering="day_count")
    def day_count(self, obj):
        return obj.day_count

    @admin.display(description=gettext_lazy("anmälda"), ordering="enrolled_count")
    def enrolled_count(self, obj):
        return obj.enrolled_count

    @admin.display(description=gettext_lazy("på väntelista"), ordering="waiting_count")
    def waiting_count(self, obj):
        return obj.waiting_count


class AttendanceInline(ReadOnlyInline):
    model = Attendance
    fields = ("day", "present", "marked_by", "marked_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("day__session", "marked_by")


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("member", "session", "status", "requested_at")
    list_filter = ("session__cycle", "session__kind", "status")
    list_select_related = ("member__profile__user", "member__cycle", "session")
    search_fields = (
        "member__profile__user__first_name",
        "member__profile__user__last_name",
        "member__profile__user__email",
        "session__title",
    )
    fieldsets = (
        (
            None,
            {
                "fields": ("site_page", "member", "session", "status", "requested_at"),
                "description": TRAINING_NOTE,
            },
        ),
    )
    readonly_fields = ("site_page",)
    inlines = [AttendanceInline]

    @admin.display(description=gettext_lazy("utbildningssidan"))
    def site_page(self, obj):
        return site_link(
            "examiners:session_roster", obj and obj.session, _("Öppna tillfället på utbildningssidorna")
        )


# --- The practice case of training -----------------------------------------------------

PRACTICE_NOTE = gettext_lazy(
    "Övningsfallet och referensen sätts på utbildningssidorna, och deltagarna bedömer fallet där, "
    "var för sig. Här kan de bara visas."
)


class PracticeCaseItemInline(ReadOnlyInline):
    model = PracticeCaseItem
    fields = ("criterion", "reference_score", "reference_strengths", "reference_improvements")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion")


@admin.register(PracticeCase)
class PracticeCaseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "session", "track", "source", "submitted_count", "updated_at")
    list_filter = ("session__cycle",)
    list_select_related = ("session__cycle", "track__cycle", "source")
    search_fields = ("title", "session__title")
    fieldsets = (
        (
            None,
            {
                "fields": ("site_page", "calibration", "session", "track", "title", "introduction", "source"),
                "description": PRACTICE_NOTE,
            },
        ),
    )
    readonly_fields = ("site_page", "calibration")
    inlines = [PracticeCaseItemInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                submitted_count=Count(
                    "assessments", filter=Q(assessments__status=PracticeAssessment.Status.SUBMITTED)
                )
            )
        )

    @admin.display(description=gettext_lazy("inlämnade bedömningar"), ordering="submitted_count")
    def submitted_count(self, obj):
        return obj.submitted_count

    @admin.display(description=gettext_lazy("övningsfallets sida"))
    def site_page(self, obj):
        return site_link(
            "examiners:practice_case", obj and obj.session, _("Öppna övningsfallet på utbildningssidorna")
        )

    @admin.display(description=gettext_lazy("kalibrering"))
    def calibration(self, obj):
        return site_link("examiners:practice_calibration", obj and obj.session, _("Öppna kalibreringen"))


class PracticeAssessmentItemInline(ReadOnlyInline):
    model = PracticeAssessmentItem
    fields = ("criterion", "score", "strengths", "improvements")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion")


@admin.register(PracticeAssessment)
class PracticeAssessmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("member", "case", "status", "submitted_at")
    list_filter = ("case__session__cycle", "status")
    list_select_related = ("member__profile__user", "member__cycle", "case")
    search_fields = (
        "member__profile__user__first_name",
        "member__profile__user__last_name",
        "member__profile__user__email",
        "case__title",
    )
    fieldsets = (
        (
            None,
            {
                "fields": ("calibration", "case", "member", "status", "submitted_at"),
                "description": PRACTICE_NOTE,
            },
        ),
    )
    readonly_fields = ("calibration",)
    inlines = [PracticeAssessmentItemInline]

    @admin.display(description=gettext_lazy("kalibrering"))
    def calibration(self, obj):
        return site_link("examiners:practice_calibration", obj and obj.case.session, _("Öppna kalibreringen"))


# --- Conflicts of interest --------------------------------------------------------------


@admin.register(Conflict)
class ConflictAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("member", "target", "reason", "source", "recorded_by", "recorded_at")
    list_filter = ("member__cycle", "source")
    list_select_related = ("member__profile__user", "member__cycle", "unit", "organisation", "recorded_by")
    search_fields = (
        "member__profile__user__first_name",
        "member__profile__user__last_name",
        "unit__name",
        "unit__code",
        "organisation__name",
        "organisation__code",
        "reason",
    )
    date_hierarchy = "recorded_at"
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "site_page",
                    "member",
                    "unit",
                    "organisation",
                    "reason",
                    "source",
                    "recorded_by",
                    "recorded_at",
                ),
                "description": CONFLICTS_NOTE,
            },
        ),
    )
    readonly_fields = ("site_page",)

    @admin.display(description=gettext_lazy("poolsidan"))
    def site_page(self, obj):
        return site_link("examiners:pool_member", obj and obj.member, _("Öppna examinatorn på poolsidorna"))

    @admin.display(description=gettext_lazy("gäller"))
    def target(self, obj):
        return obj.target


@admin.register(ApplicationOpening)
class ApplicationOpeningAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """When each examiner first opened each of their team's applications."""

    list_display = ("member", "application", "at")
    list_filter = ("member__cycle",)
    list_select_related = ("member__profile__user", "member__cycle", "application__unit")
    search_fields = (
        "member__profile__user__first_name",
        "member__profile__user__last_name",
        "application__code",
    )
    date_hierarchy = "at"


# --- Teams ------------------------------------------------------------------------------


class TeamMemberInline(ReadOnlyInline):
    model = TeamMember
    fields = ("member", "is_leader")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member__profile__user", "member__cycle")


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = ("application", "unit")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("application__unit")

    @admin.display(description=gettext_lazy("enhet"))
    def unit(self, obj):
        return obj.application.unit


@admin.register(Team)
class TeamAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "cycle", "track", "status", "member_count", "assignment_count", "needs_action")
    list_filter = ("cycle", "track__kind", "status")
    list_select_related = ("cycle", "track__cycle")
    search_fields = ("name",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "site_page",
                    "cycle",
                    "track",
                    "name",
                    "status",
                    "confirmed_by",
                    "confirmed_at",
                    "reason_list",
                    "flag",
                ),
                "description": TEAMS_NOTE,
            },
        ),
    )
    readonly_fields = ("site_page", "reason_list")
    inlines = [TeamMemberInline, AssignmentInline]

    @admin.display(description=gettext_lazy("lagsidan"))
    def site_page(self, obj):
        return site_link("examiners:team_detail", obj, _("Öppna laget på lagsidorna"))

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                member_count=Count("members", distinct=True),
                assignment_count=Count("assignments", distinct=True),
            )
        )

    @admin.display(description=gettext_lazy("medlemmar"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    @admin.display(description=gettext_lazy("bidrag"), ordering="assignment_count")
    def assignment_count(self, obj):
        return obj.assignment_count

    @admin.display(description=gettext_lazy("behöver åtgärdas"), boolean=True)
    def needs_action(self, obj):
        return bool(obj.flag)

    @admin.display(description=gettext_lazy("motivering"))
    def reason_list(self, obj):
        return "\n".join(str(reason) for reason in obj.reasons or []) or "–"
