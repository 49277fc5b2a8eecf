"""Spreadsheet import and export (django-import-export) of the award's reference data:
administrations, units, criteria and units' past results.

Every import is all or nothing. A file with one bad row imports no row at all, in the
admin's preview as well as on "Bekräfta import", and each bad row is reported with its
number (the first row under the header row is row 1) and a Swedish message per column.
Columns are named by the codes in each resource's docstring; an export produces a file
with the same columns, so it can be edited and imported again.

No row is dropped silently: a row whose key (import_id_fields, e.g. a unit's code)
another row of the same file already has is refused with both row numbers, since
importing both would keep only the later one's values. A cell holding an invisible
control character is refused with the character and where it stands (award.text); tabs
and line breaks are allowed only in long text (a TextField).
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    ImproperlyConfigured,
    MultipleObjectsReturned,
    ObjectDoesNotExist,
    ValidationError,
)
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.results import RowResult

from award import services, text, upload_guards
from award.models import AwardCycle, Criterion, Organisation, PastResult, Track, Unit
from award.spreadsheets import escape_formula, unescape_formula


def _cell_text(value) -> str:
    """A cell as the person sees it in their spreadsheet (12.0 as "12")."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


class TextWidget(widgets.CharWidget):
    """Text that trims surrounding spaces. A spreadsheet stores a numeric-looking code
    (1234) as a number; it is read back as "1234", not "1234.0". (Formula-like text is
    escaped on export and unescaped on import for every column by AwardResource.)"""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        value = super().clean(value, row, **kwargs)
        return value.strip() if isinstance(value, str) else value


class IntegerWidget(widgets.IntegerWidget):
    """A whole number. Anything else (a word such as "tolv", a fraction such as 12,5)
    is refused with a Swedish message instead of being rounded or crashing the import."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        if isinstance(value, bool):
            raise ValueError(_("”%(value)s” är inte ett heltal.") % {"value": value})
        if isinstance(value, int):
            return value
        text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("”%(value)s” är inte ett heltal.") % {"value": value}) from None
        if not number.is_finite() or number != number.to_integral_value() or abs(number) >= 10**18:
            raise ValueError(_("”%(value)s” är inte ett heltal.") % {"value": value})
        return int(number)


class BooleanWidget(widgets.BooleanWidget):
    """Yes or no, as Swedish spreadsheets write it: ja/nej, 1/0 or true/false (any case).
    An empty cell gives the field's default. Exported as ja/nej in CSV."""

    TRUE_WORDS = {"ja", "j", "1", "true", "sant"}
    FALSE_WORDS = {"nej", "n", "0", "false", "falskt"}
    EMPTY_WORDS = {"", "null", "none"}

    def clean(self, value, row=None, **kwargs):
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, int | float) and value in (0, 1):
            return bool(value)
        word = str(value).strip().lower()
        if word in self.EMPTY_WORDS:
            return None
        if word in self.TRUE_WORDS:
            return True
        if word in self.FALSE_WORDS:
            return False
        raise ValueError(
            _("”%(value)s” är varken ja eller nej (skriv ja/nej, 1/0 eller true/false).") % {"value": value}
        )

    def render(self, value, obj=None, **kwargs):
        if self.coerce_to_string and not kwargs.get("force_native_type"):
            if not isinstance(value, bool):
                return ""
            return "ja" if value else "nej"
        return value


class CodeForeignKeyWidget(widgets.ForeignKeyWidget):
    """A related object named by a code column (an administration's or a unit's code).
    An unknown code is a row error that names the code."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str):
            value = value.strip()
        try:
            return super().clean(value, row, **kwargs)
        except ObjectDoesNotExist:
            raise ValueError(
                _("Det finns ingen %(model)s med %(field)s ”%(value)s”.")
                % {
                    "model": self.model._meta.verbose_name,
                    "field": self.model._meta.get_field(self.field).verbose_name,
                    "value": value,
                }
            ) from None


class TrackWidget(widgets.ForeignKeyWidget):
    """The track of a criterion, given by its kind (quality_award or renewal_prize) in the
    `track` column and the cycle's year in the `cycle` column of the same row."""

    def __init__(self, **kwargs):
        super().__init__(Track, field="kind", **kwargs)

    def clean(self, value, row=None, **kwargs):
        kind = str(value).strip() if value is not None else ""
        if not kind:
            raise ValueError(_("Ange spårets typ (%(kinds)s).") % {"kinds": ", ".join(Track.Kind.values)})
        raw_year = (row or {}).get("cycle")
        try:
            year = IntegerWidget().clean(raw_year)
        except ValueError:
            raise ValueError(_("Omgångens år ”%(year)s” är inte ett årtal.") % {"year": raw_year}) from None
        if year is None:
            raise ValueError(_("Kolumnen ”cycle” (omgångens år) saknar värde."))
        try:
            return Track.objects.select_related("cycle").get(cycle__year=year, kind=kind)
        except Track.DoesNotExist:
            if not AwardCycle.objects.filter(year=year).exists():
                raise ValueError(_("Det finns ingen omgång för år %(year)s.") % {"year": year}) from None
            raise ValueError(
                _("Omgången %(year)s har inget spår av typen ”%(kind)s” (finns: %(kinds)s).")
                % {
                    "year": year,
                    "kind": kind,
                    "kinds": ", ".join(
                        Track.objects.filter(cycle__year=year).order_by("kind").values_list("kind", flat=True)
                    ),
                }
            ) from None


class ChoiceWidget(TextWidget):
    """A choice given by its code (e.g. "district") or by its Swedish label
    ("Stadsdelsförvaltning", any case). Exported as the code. An unknown value is left
    for the model's validation, which names the column."""

    def __init__(self, choices, **kwargs):
        self.by_label = {str(label).lower(): value for value, label in choices}
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        value = super().clean(value, row, **kwargs)
        return self.by_label.get(value.lower(), value) if isinstance(value, str) else value


class AwardResource(resources.ModelResource):
    """Base of the award's resources: Swedish-tolerant widgets, messages that name the
    column, and an import that rolls back entirely when any row is invalid."""

    # Labels of columns that are not a field of the model, for the export form.
    column_labels: dict = {}
    # How a refused duplicate names its key: the columns (default: import_id_fields) and
    # their Swedish names where the model field's name does not fit.
    key_columns: tuple = ()
    key_labels: dict = {}

    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        "CharField": TextWidget,
        "TextField": TextWidget,
        "BooleanField": BooleanWidget,
        "IntegerField": IntegerWidget,
        "PositiveIntegerField": IntegerWidget,
        "PositiveSmallIntegerField": IntegerWidget,
        "SmallIntegerField": IntegerWidget,
        "BigIntegerField": IntegerWidget,
    }

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        field = super().field_from_django_field(field_name, django_field, readonly)
        if getattr(django_field, "choices", None) and isinstance(field.widget, widgets.CharWidget):
            field.widget = ChoiceWidget(django_field.choices)
        return field

    @classmethod
    def get_display_name(cls):
        return str(cls._meta.model._meta.verbose_name_plural).capitalize()

    @classmethod
    def column_label(cls, field_name: str) -> str:
        """The Swedish name of a column followed by its code, e.g. "Enhetskod (code)"."""
        label = cls.column_labels.get(field_name)
        if label is None:
            try:
                label = cls._meta.model._meta.get_field(field_name).verbose_name
            except FieldDoesNotExist:
                label = field_name
        return f"{capfirst(label)} ({field_name})"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Every imported value goes through the model's own validation.
        if not self._meta.clean_model_instances:
            raise ImproperlyConfigured(f"{type(self).__name__}: Meta.clean_model_instances must be True.")
        self.rows_by_key: dict[tuple, list[int]] = {}

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=True,
        **kwargs,
    ):
        # All or nothing, whoever calls: the admin's preview and confirm steps never pass
        # rollback_on_validation_errors, and without it (or without a transaction) the valid
        # rows of a file with an invalid row would be saved.
        return super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=True,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=True,
            **kwargs,
        )

    def before_import(self, dataset, **kwargs):
        self.rows_by_key = {}
        # Spreadsheet programs keep formatted but empty rows at the end of a sheet; they are
        # not data. Headers are matched without surrounding spaces.
        dataset.headers = [str(h).strip() if h is not None else "" for h in dataset.headers or []]
        while len(dataset) and all(v is None or str(v).strip() == "" for v in dataset[-1]):
            del dataset[-1]
        limit = upload_guards.max_rows()
        if len(dataset) > limit:
            # No row is read at all (django-import-export goes on to the rows after this).
            del dataset[:]
            raise upload_guards.too_many_rows(limit)
        super().before_import(dataset, **kwargs)
        # django-import-export's own message for this is English (it formats the text
        # before translating it), so the key columns are checked here first.
        missing = [
            self.fields[name].column_name
            for name in self.get_import_id_fields()
            if self.fields[name].column_name not in dataset.headers
        ]
        if missing:
            raise ValueError(
                _(
                    "Filen saknar kolumnerna %(columns)s, som behövs för att känna igen raderna. Den första raden ska vara rubrikraden."
                )
                % {"columns": ", ".join(f"”{column}”" for column in missing)}
            )

    def import_row(self, row, instance_loader, **kwargs):
        # Text exported with an apostrophe before a formula character gets it back off,
        # in every column (the dataset itself is left as read).
        row = row.__class__((key, unescape_formula(v) if isinstance(v, str) else v) for key, v in row.items())
        # A refused cell is reported before anything reads the row: PostgreSQL would refuse
        # a NUL in a lookup with its own (English) error, and SQLite would store it.
        errors = self.text_errors(row)
        if not any(column in errors for column in self.key_error_keys()):
            # The row's key, read as the import reads it, once per file: a second row with
            # it would update the first one's object and keep only its own values.
            key = self.row_key(row)
            number = kwargs.get("row_number")
            if key is not None and number is not None:
                earlier = self.rows_by_key.setdefault(key, [])
                if earlier:
                    errors.setdefault(NON_FIELD_ERRORS, []).insert(
                        0, self.duplicate_message([*earlier, number], row)
                    )
                earlier.append(number)
        if errors:
            # Not imported at all; the file is then rolled back whole (import_data).
            row_result = self.get_row_result_class()()
            row_result.import_type = RowResult.IMPORT_TYPE_INVALID
            row_result.validation_error = ValidationError(errors)
            if self._meta.store_row_values:
                row_result.row_values = row
            return row_result
        return super().import_row(row, instance_loader, **kwargs)

    # --- Text and duplicate checks of a row ----------------------------------------------

    def field_error(self, field, message: str) -> tuple[str, str]:
        """The key and message of a validation error in `field`'s column, as import_field
        reports them (django-import-export keys them by the field's attribute)."""
        return field.attribute or field.column_name, _("Kolumnen ”%(column)s”: %(error)s") % {
            "column": field.column_name,
            "error": message,
        }

    def key_error_keys(self) -> set[str]:
        return {self.field_error(self.fields[name], "")[0] for name in self.get_import_id_fields()}

    def is_long_text(self, field) -> bool:
        """Whether `field`'s column is long text (a TextField), where tabs and line breaks
        belong; everything else is a single line."""
        model = self._meta.model
        model_field = None
        for part in (field.attribute or "").split("__"):
            if model is None:
                return False
            try:
                model_field = model._meta.get_field(part)
            except FieldDoesNotExist:
                return False
            model = model_field.related_model
        return isinstance(model_field, models.TextField)

    def text_errors(self, row) -> dict[str, list[str]]:
        """Each text cell of the row's columns that holds a control character (award.text),
        as field_error's key and message. Surrounding spaces, which the import trims, are
        not looked at."""
        errors = {}
        for field in self.fields.values():
            value = row.get(field.column_name)
            if not isinstance(value, str):
                continue
            refusal = text.find_refusal(value.strip(), multiline=self.is_long_text(field))
            if refusal is not None:
                key, message = self.field_error(field, refusal.message(text.Action.IMPORT))
                errors.setdefault(key, []).append(message)
        return errors

    def row_key(self, row) -> tuple | None:
        """The row's import_id_fields as the import reads them (so " K-1 " and "K-1" are one
        key), or None when one is empty or unreadable: that cell's own error says why."""
        key = []
        for name in self.get_import_id_fields():
            try:
                value = self.fields[name].clean(row)
            except (ValueError, KeyError, ValidationError, ObjectDoesNotExist, MultipleObjectsReturned):
                return None
            if value is None or value == "":
                return None
            key.append(value)
        return tuple(key)

    def key_label(self, name: str) -> str:
        label = self.key_labels.get(name)
        if label is None:
            try:
                label = self._meta.model._meta.get_field(self.fields[name].attribute).verbose_name
            except FieldDoesNotExist:
                label = self.fields[name].column_name
        return str(label)

    def duplicate_message(self, numbers: list[int], row) -> str:
        """E.g. "Rad 3 och rad 7 har samma enhetskod K-123. Varje enhet får bara finnas en
        gång i filen." The key is named as the file writes it."""
        rows = [_("rad %(number)s") % {"number": number} for number in numbers]
        rows_text = _("%(rows)s och %(last)s") % {"rows": ", ".join(rows[:-1]), "last": rows[-1]}
        parts = [
            f"{self.key_label(name)} {_cell_text(row.get(self.fields[name].column_name))}"
            for name in self.key_columns or self.get_import_id_fields()
        ]
        key_text = (
            _("%(parts)s och %(last)s") % {"parts": ", ".join(parts[:-1]), "last": parts[-1]}
            if len(parts) > 1
            else parts[0]
        )
        return _("%(rows)s har samma %(key)s. Varje %(thing)s får bara finnas en gång i filen.") % {
            "rows": capfirst(rows_text),
            "key": key_text,
            "thing": self._meta.model._meta.verbose_name,
        }

    def export_resource(self, instance, selected_fields=None, **kwargs):
        # Every column, whatever its widget or dehydrate method: a control character an
        # older row holds is written as its visible picture (text.shown; XLSX would refuse
        # the whole file), then text a spreadsheet would run as a formula is written as text
        # (see escape_formula).
        native = bool(kwargs.get("force_native_type"))
        return [
            escape_formula(text.shown(value), native=native) if isinstance(value, str) else value
            for value in super().export_resource(instance, selected_fields=selected_fields, **kwargs)
        ]

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except (ValueError, ObjectDoesNotExist, MultipleObjectsReturned):
            # A key cell that cannot be read is reported by import_instance, which reads the
            # same cell again and names its column; here the row is simply not found.
            return None

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        try:
            super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)
        except ValueError as error:
            raise ValueError(
                _("Kolumnen ”%(column)s”: %(error)s") % {"column": field.column_name, "error": error}
            ) from error


class OrganisationResource(AwardResource):
    """Administrations (förvaltningar). Columns:

    - `code`: the administration's code, identifies it (a row with an existing code updates it)
    - `name`: its name
    - `kind`: district (stadsdelsförvaltning), specialist (fackförvaltning) or company (bolag)
    """

    class Meta:
        model = Organisation
        fields = ("code", "name", "kind")
        import_id_fields = ("code",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True


class UnitResource(AwardResource):
    """Units (enheter). Columns:

    - `code`: the unit's code, identifies it
    - `name`: the unit's name
    - `organisation`: the administration's code (must exist)
    - `head_name`, `head_email`: the unit head and their e-mail
    - `staff_count`: staff including the head, a whole number
    - `has_operational_plan`, `is_private_provider`: ja/nej (or 1/0, true/false)
    - `stockholmers_share`: percent 0–100, only for private providers, otherwise empty

    Contact people are not imported; they are set per unit in the admin. Each unit is saved
    through `services.unit_save`, as in the admin, so a new `organisation` is audited and
    rechecks the examiners of the unit's applications (R8).
    """

    organisation = fields.Field(
        attribute="organisation",
        column_name="organisation",
        widget=CodeForeignKeyWidget(Organisation, field="code"),
    )

    class Meta:
        model = Unit
        fields = (
            "code",
            "name",
            "organisation",
            "head_name",
            "head_email",
            "staff_count",
            "has_operational_plan",
            "is_private_provider",
            "stockholmers_share",
        )
        import_id_fields = ("code",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def get_queryset(self):
        return Unit.objects.select_related("organisation")

    def before_import(self, dataset, **kwargs):
        self.importing_user = kwargs.get("user")
        super().before_import(dataset, **kwargs)

    def do_instance_save(self, instance, is_create):
        # Through the service, as the admin's form: a unit moved to another administration
        # takes its applications from that administration's examiners (R8).
        services.unit_save(unit=instance, by=getattr(self, "importing_user", None))


class CriterionResource(AwardResource):
    """Evaluation criteria of a cycle's tracks. A criterion is identified by its cycle,
    track and number. Columns:

    - `cycle`: the cycle's year (the cycle and track must exist)
    - `track`: the track's kind, quality_award (Kvalitetsutmärkelsen) or renewal_prize
      (Förnyelsepriset)
    - `number`: the criterion's number in the track
    - `title`: its heading
    - `kind`: approach (arbetssätt) or results (resultat)
    - `weight`: points out of the track's 1000
    - `max_length`: longest answer in characters
    - `applicant_guidance`, `examiner_guidance`: guidance texts
    """

    column_labels = {"cycle": gettext_lazy("omgång (år)")}
    key_columns = ("cycle", "track", "number")
    key_labels = {"cycle": gettext_lazy("omgång")}

    cycle = fields.Field(
        attribute="track__cycle__year", column_name="cycle", readonly=True, widget=IntegerWidget()
    )
    track = fields.Field(attribute="track", column_name="track", widget=TrackWidget())

    class Meta:
        model = Criterion
        fields = (
            "cycle",
            "track",
            "number",
            "title",
            "kind",
            "weight",
            "max_length",
            "applicant_guidance",
            "examiner_guidance",
        )
        import_id_fields = ("track", "number")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def get_queryset(self):
        return Criterion.objects.select_related("track__cycle")

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Only rows that add or change a criterion get here (an unchanged one is skipped), so
        # an exported file with an opened cycle's rows in it still imports a draft's changes.
        errors = dict(import_validation_errors or {})
        track = instance.track if instance.track_id else None
        if track is not None and track.cycle.status == AwardCycle.Status.OPEN:
            errors.setdefault(NON_FIELD_ERRORS, []).append(
                _(
                    "Omgången %(year)s är öppnad: dess kriterier kan inte ändras eller läggas till, "
                    "eftersom bidragens poäng räknas med deras vikter."
                )
                % {"year": track.cycle.year}
            )
        super().validate_instance(instance, errors, validate_unique)


class PastResultResource(AwardResource):
    """Units' earlier results in the award (for the two-year rule). A result is identified
    by unit, year and track. Columns:

    - `unit`: the unit's code (must exist)
    - `year`: the award year
    - `track_kind`: quality_award or renewal_prize
    - `outcome`: winner (vinnare) or honourable_mention (hedersomnämnande)
    """

    unit = fields.Field(attribute="unit", column_name="unit", widget=CodeForeignKeyWidget(Unit, field="code"))

    class Meta:
        model = PastResult
        fields = ("unit", "year", "track_kind", "outcome")
        import_id_fields = ("unit", "year", "track_kind")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def get_queryset(self):
        return PastResult.objects.select_related("unit")
