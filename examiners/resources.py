"""Spreadsheet import and export (XLSX or CSV) of the examiner pool through the admin.

One row is one person in one cycle's pool. Importing a row creates or updates three
things: the user (found by username; a new user gets no password, they sign in through
the city's login), their examiner profile and their pool membership for that year. An
export has the same columns, so an exported file imports again without changes.

As for the award's reference data (award.resources), the import is all or nothing: a
file with one bad row imports no row at all, and each bad row is reported with its
number and a Swedish message naming the column.

What has a service is changed through it, with the same refusals and audit entries as on
the pool member's page and in the admin: an existing examiner's profile through
`services.profile_update` (which rechecks their teams' conflicts), the team limit through
`services.pool_member_settings` (at most five, and not below the teams the person is in),
the manager's approval through `services.manager_approval_record`, and a status turning
into "Antagen" or "Inte antagen" through `services.pool_decide` (which gives the examiner
role). A refusal is the row's error under its column, and the file imports nothing. A
manager named without an approval date, before or after, is not an approval: it is
written with the row, as the volunteer form records it.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from import_export import fields, widgets

from award import audit
from award.models import AwardCycle, Organisation, Unit
from award.resources import (
    AwardResource,
    BooleanWidget,
    ChoiceWidget,
    CodeForeignKeyWidget,
    IntegerWidget,
    TextWidget,
)
from award.roles import Role, has_role
from examiners import services
from examiners.audit_actions import AuditAction
from examiners.models import ExaminerProfile, PoolMember

User = get_user_model()

# Years before or after these are typing mistakes, not years of the award.
FIRST_YEAR, LAST_YEAR = 1990, 2100


class CycleWidget(widgets.ForeignKeyWidget):
    """The cycle, given by its year. An unknown year is a row error."""

    def __init__(self, **kwargs):
        super().__init__(AwardCycle, field="year", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            raise ValueError(_("Ange omgångens år."))
        try:
            year = IntegerWidget().clean(value)
        except ValueError:
            raise ValueError(_("”%(value)s” är inte ett årtal.") % {"value": value}) from None
        try:
            return AwardCycle.objects.get(year=year)
        except AwardCycle.DoesNotExist:
            raise ValueError(_("Det finns ingen omgång för år %(year)s.") % {"year": year}) from None

    def is_empty(self, value):
        return value is None or str(value).strip() == ""


class SwedishDateWidget(widgets.DateWidget):
    """A date as 2025-03-14 (also 14/3 2025 style formats from settings). A spreadsheet
    date cell arrives as a datetime and is read as its date."""

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        try:
            return super().clean(text, row, **kwargs)
        except ValueError:
            raise ValueError(
                _("”%(value)s” är inte ett datum (skriv till exempel 2025-03-14).") % {"value": value}
            ) from None


class YearListWidget(widgets.Widget):
    """Years separated by commas, e.g. "2023, 2024", stored as a sorted list of numbers."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return []
        if isinstance(value, int | float):
            value = str(int(value)) if float(value).is_integer() else str(value)
        years = set()
        for part in str(value).replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            try:
                year = IntegerWidget().clean(part)
            except ValueError:
                year = None
            if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
                raise ValueError(
                    _("”%(value)s” är inte ett årtal (skriv åren med kommatecken emellan, t.ex. 2023, 2024).")
                    % {"value": part}
                )
            years.add(year)
        return sorted(years)

    def render(self, value, obj=None, **kwargs):
        return ", ".join(str(year) for year in sorted(value or []))


class TextListWidget(widgets.Widget):
    """Words or phrases separated by commas, e.g. "Förskola, Skola"."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return []
        return sorted({part.strip() for part in str(value).replace(";", ",").split(",") if part.strip()})

    def render(self, value, obj=None, **kwargs):
        return ", ".join(sorted(value or []))


class StatusWidget(ChoiceWidget):
    """The pool status by its Swedish label ("Antagen") or its code ("accepted"); exported
    as the label. Empty means "Intresseanmäld"."""

    def __init__(self, **kwargs):
        super().__init__(PoolMember.Status.choices, **kwargs)

    def clean(self, value, row=None, **kwargs):
        value = super().clean(value, row, **kwargs)
        if not value:
            return PoolMember.Status.VOLUNTEERED
        if value not in PoolMember.Status.values:
            raise ValueError(
                _("”%(value)s” är ingen status (skriv %(choices)s).")
                % {"value": value, "choices": ", ".join(str(label) for label in PoolMember.Status.labels)}
            )
        return value

    def render(self, value, obj=None, **kwargs):
        if value in PoolMember.Status.values:
            return str(PoolMember.Status(value).label)
        return value or ""


def _user_changed(user) -> bool:
    stored = User.objects.filter(pk=user.pk).values(*PoolMemberResource.USER_FIELDS.values()).first()
    return any(getattr(user, name) != value for name, value in (stored or {}).items())


def _column(attribute, column_name, widget=None, **kwargs):
    return fields.Field(attribute=attribute, column_name=column_name, widget=widget or TextWidget(), **kwargs)


class PoolMemberResource(AwardResource):
    """The examiner pool, one row per person and cycle. Columns (Swedish headers):

    - `år`: the cycle's year (the cycle must exist); with `användarnamn` it identifies the row
    - `användarnamn`: the person's username; a new username creates a user without password
    - `förnamn`, `efternamn`, `e-post`
    - `förvaltning`: the administration's code (must exist)
    - `arbetsplats`: the workplace unit's code, optional (must exist and belong to the
      administration)
    - `arbetsgivare`, `befattning`
    - `tidigare år som examinator`, `tidigare år som lagledare`: years such as "2023, 2024"
    - `kunskapsområden`: comma separated, e.g. "Förskola, Skola"
    - `status`: Intresseanmäld, Antagen, Inte antagen or Har hoppat av (or the codes)
    - `tillgänglig`: ja/nej; `kommentar om tillgänglighet`
    - `chef`, `chefens godkännande` (a date): the manager who approved the time
    - `högst antal lag`: a whole number, at least 1
    """

    year = fields.Field(attribute="cycle", column_name="år", widget=CycleWidget())
    username = _column("profile__user__username", "användarnamn")
    first_name = _column("profile__user__first_name", "förnamn")
    last_name = _column("profile__user__last_name", "efternamn")
    email = _column("profile__user__email", "e-post")
    organisation = fields.Field(
        attribute="profile__organisation",
        column_name="förvaltning",
        widget=CodeForeignKeyWidget(Organisation, field="code"),
    )
    employer_unit = fields.Field(
        attribute="profile__employer_unit",
        column_name="arbetsplats",
        widget=CodeForeignKeyWidget(Unit, field="code"),
    )
    employer = _column("profile__employer", "arbetsgivare")
    job_title = _column("profile__job_title", "befattning")
    years_served = _column("profile__years_served", "tidigare år som examinator", YearListWidget())
    years_led = _column("profile__years_led", "tidigare år som lagledare", YearListWidget())
    areas = _column("profile__areas", "kunskapsområden", TextListWidget())
    status = _column("status", "status", StatusWidget())
    available = _column("available", "tillgänglig", BooleanWidget(), default=True)
    availability_note = _column("availability_note", "kommentar om tillgänglighet")
    manager_name = _column("manager_name", "chef")
    manager_approved_on = _column("manager_approved_on", "chefens godkännande", SwedishDateWidget())
    max_teams = _column("max_teams", "högst antal lag", IntegerWidget(), default=1)

    # The model field behind each column, for the model's own validation messages.
    USER_FIELDS = {
        "username": "username",
        "first_name": "first_name",
        "last_name": "last_name",
        "email": "email",
    }
    PROFILE_FIELDS = {
        "organisation": "organisation",
        "employer_unit": "employer_unit",
        "employer": "employer",
        "job_title": "job_title",
        "years_served": "years_served",
        "years_led": "years_led",
        "areas": "areas",
    }
    MEMBER_FIELDS = {
        "year": "cycle",
        "status": "status",
        "available": "available",
        "availability_note": "availability_note",
        "manager_name": "manager_name",
        "manager_approved_on": "manager_approved_on",
        "max_teams": "max_teams",
    }

    class Meta:
        model = PoolMember
        fields = (
            "year",
            "username",
            "first_name",
            "last_name",
            "email",
            "organisation",
            "employer_unit",
            "employer",
            "job_title",
            "years_served",
            "years_led",
            "areas",
            "status",
            "available",
            "availability_note",
            "manager_name",
            "manager_approved_on",
            "max_teams",
        )
        import_id_fields = ("year", "username")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    @classmethod
    def get_display_name(cls):
        return capfirst(str(PoolMember._meta.verbose_name_plural))

    @classmethod
    def column_label(cls, field_name: str) -> str:
        """The export form shows the Swedish header of each column."""
        field = cls.fields.get(field_name)
        return capfirst(field.column_name) if field else field_name

    def field_error(self, field, message: str) -> tuple[str, str]:
        # As import_instance: keyed by the Swedish column name, which the message then
        # need not repeat.
        return field.column_name, message

    def key_label(self, name: str) -> str:
        return self.fields[name].column_name

    def get_queryset(self):
        return PoolMember.objects.select_related(
            "cycle", "profile__user", "profile__organisation", "profile__employer_unit"
        ).order_by("-cycle__year", "profile__user__last_name", "profile__user__first_name", "pk")

    # --- Import ------------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        self.importing_user = kwargs.get("user")
        super().before_import(dataset, **kwargs)

    def init_instance(self, row=None):
        """A new pool row, for an existing user and profile when there are ones."""
        try:
            username = TextWidget().clean(row.get(self.fields["username"].column_name))
        except ValueError:
            username = ""
        user = User.objects.filter(username=username).first() if username else None
        if user is None:
            user = User(username=username or "")
        profile = ExaminerProfile.objects.filter(user=user).first() if user.pk else None
        if profile is None:
            profile = ExaminerProfile(user=user)
        return PoolMember(profile=profile)

    def import_instance(self, instance, row, **kwargs):
        """Read every column; a bad cell is a message under its Swedish column name."""
        errors = {}
        for field in self.get_import_fields():
            try:
                self.import_field(field, instance, row, **kwargs)
            except ValueError as error:
                errors[field.column_name] = ValidationError(str(error), code="invalid")
        if errors:
            raise ValidationError(errors)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # The column is named by the message's key (see import_instance): no prefix here.
        if field.attribute and field.column_name in row:
            field.save(instance, row, is_m2m, **kwargs)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        profile, user = instance.profile, instance.profile.user
        if not user.username and "användarnamn" not in errors:
            errors["användarnamn"] = [_("Ange användarnamnet.")]
        checks = [
            (user, self.USER_FIELDS, ["password"]),
            (profile, self.PROFILE_FIELDS, ["user"]),
            (instance, self.MEMBER_FIELDS, ["profile", "decided_by"]),
        ]
        for obj, columns, always_excluded in checks:
            column_of = {model_field: self.fields[name].column_name for name, model_field in columns.items()}
            excluded = [f for f, column in column_of.items() if column in errors] + always_excluded
            try:
                # A new user, profile or pool row is not in the database yet: their unique
                # checks come from the lookups by username, user and cycle.
                obj.full_clean(exclude=excluded, validate_unique=obj.pk is not None)
            except ValidationError as error:
                for key, messages in error.message_dict.items():
                    column = column_of.get(key, NON_FIELD_ERRORS)
                    errors.setdefault(column, []).extend(messages)
        unit = profile.employer_unit
        organisation = profile.organisation if profile.organisation_id else None
        if unit is not None and organisation is not None and unit.organisation_id != organisation.pk:
            errors.setdefault("arbetsplats", []).append(
                _("Enheten %(unit)s hör inte till förvaltningen %(organisation)s.")
                % {"unit": unit.code, "organisation": organisation.code}
            )
        by = getattr(self, "importing_user", None)
        if user.pk and user.is_superuser and not (by is not None and by.is_superuser) and _user_changed(user):
            errors.setdefault("användarnamn", []).append(
                _("%(username)s är en superanvändare; bara en superanvändare kan ändra det kontot.")
                % {"username": user.username}
            )
        if instance.max_teams is not None and instance.max_teams < 1 and "högst antal lag" not in errors:
            errors["högst antal lag"] = [_("En examinator måste kunna ingå i minst ett lag.")]
        if (
            instance.pk
            and instance.status != PoolMember.Status.ACCEPTED
            and instance.teams.exists()
            and "status" not in errors
        ):
            errors["status"] = [
                _("%(name)s ingår i ett lag och måste vara antagen. Ta bort personen ur laget först.")
                % {"name": profile}
            ]
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        """Save the user, the profile and the pool row, each change that has a service
        through it (see the module's docstring). A refused row leaves nothing behind for
        the rows after it."""
        if self._is_dry_run(kwargs) and not self._is_using_transactions(kwargs):
            return
        with transaction.atomic():
            self._save(instance, is_create)

    def _save(self, instance, is_create):
        by = getattr(self, "importing_user", None)
        profile, user = instance.profile, instance.profile.user
        stored = (
            PoolMember.objects.filter(pk=instance.pk).values(*SERVICE_FIELDS).first() if instance.pk else None
        )
        stored = stored or {name: getattr(PoolMember(), name) for name in SERVICE_FIELDS}
        wanted = {name: getattr(instance, name) for name in SERVICE_FIELDS}
        # The row is saved with what the services own as it stands; they then change it.
        for name, value in stored.items():
            setattr(instance, name, value)
        decide = wanted["status"] in (PoolMember.Status.ACCEPTED, PoolMember.Status.DECLINED)
        decide = decide and wanted["status"] != stored["status"]
        if not decide:
            instance.status = wanted["status"]
        manager = (wanted["manager_name"] or "", wanted["manager_approved_on"])
        approve = manager != (stored["manager_name"], stored["manager_approved_on"])
        if approve and manager[1] is None and stored["manager_approved_on"] is None:
            approve = False
            instance.manager_name = manager[0]
        if user.pk is None:
            user.set_unusable_password()
        user.save()
        if profile.pk is None:
            profile.user = user
            profile.save()
        else:
            values = {name: getattr(profile, name) for name in services.PROFILE_FIELDS}
            profile = _through_service(
                "förvaltning", lambda: services.profile_update(profile=profile, values=values, by=by)
            )
        instance.profile = profile
        instance.save()
        audit.record(
            actor=by,
            action=AuditAction.POOL_IMPORT,
            target=instance,
            changes={"created": is_create, "status": wanted["status"]},
        )
        if wanted["max_teams"] != stored["max_teams"]:
            _through_service(
                "högst antal lag",
                lambda: services.pool_member_settings(member=instance, max_teams=wanted["max_teams"], by=by),
            )
        if approve:
            _through_service(
                "chef" if not manager[0].strip() else "chefens godkännande",
                lambda: services.manager_approval_record(
                    member=instance, manager_name=manager[0], approved_on=manager[1], by=by
                ),
            )
        services.recheck_members(profile.memberships.values_list("pk", flat=True), by=by)
        if decide:
            if by is None or not has_role(by, Role.SLK):
                raise ValidationError({"status": [_("Bara stadsledningskontoret kan anta examinatorer.")]})
            decided = _through_service(
                "status",
                lambda: services.pool_decide(
                    member=instance, accept=wanted["status"] == PoolMember.Status.ACCEPTED, by=by
                ),
            )
            instance.status, instance.decided_by, instance.decided_at = (
                decided.status,
                decided.decided_by,
                decided.decided_at,
            )


# The pool row's columns that only a service changes (see the module's docstring).
SERVICE_FIELDS = ("status", "max_teams", "manager_name", "manager_approved_on")


def _through_service(column: str, call):
    """Call a service; its refusal becomes the row's error under `column`."""
    try:
        return call()
    except ValidationError as error:
        raise ValidationError({column: error.messages}) from error
    except PermissionDenied as error:
        raise ValidationError(
            {column: [str(error) or _("Du har inte behörighet att göra detta.")]}
        ) from error
