import re

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from award.models import validate_day_list
from award.text import ControlCharacterValidator


class CleanTextMixin:
    """For every form of the project (tests/award/test_text_hygiene.py checks that each
    one has it): text fields refuse invisible control characters with a Swedish message
    that names the character and where it stands (award.text). A textarea may hold tabs
    and line breaks, a single-line field neither. The posted text stays in the bound form.

    The validators are put in place when the form is cleaned, so fields a form adds in
    its own __init__ are covered too."""

    def full_clean(self):
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators = [
                    v
                    for v in field.validators
                    if not isinstance(v, ProhibitNullCharactersValidator | ControlCharacterValidator)
                ] + [ControlCharacterValidator(multiline=multiline)]
        super().full_clean()

    def error_summary(self, *, leave_out=()) -> str:
        """The form's errors in one line, for an autosave's status beside the form: each
        after its field's label (a page has several boxes), those of the fields in
        `leave_out` left out. Empty when there are no others."""
        parts = []
        for name, errors in self.errors.items():
            if name in leave_out:
                continue
            label = self[name].label if name in self.fields else ""
            for message in errors:
                parts.append(
                    _("%(label)s: %(error)s") % {"label": label, "error": message} if label else message
                )
        return " ".join(parts)


class CleanTextModelForm(CleanTextMixin, forms.ModelForm):
    """The admin's model forms, with the same text check as every other form."""


class PhaseCloseForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Motivering"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Sparas i omgångens logg."),
    )


class PhaseExtendForm(PhaseCloseForm):
    until = forms.DateField(
        label=_("Fasen pågår till och med"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ReminderDaysForm(CleanTextMixin, forms.Form):
    """The cycle's reminder days (award.services.cycle_reminders_set). Each list is checked
    here too, so a wrong value is named beside its own box and what was typed stays."""

    application_reminder_days = forms.CharField(
        label=_("Enhetskontakter med ett bidrag som inte är inlämnat"),
        max_length=40,
        required=False,
        validators=[validate_day_list],
        help_text=_("Dagar före sista dag för tävlingsbidrag, till exempel 7,2."),
    )
    assessment_reminder_days = forms.CharField(
        label=_("Examinatorer med en individuell bedömning som inte är inlämnad"),
        max_length=40,
        required=False,
        validators=[validate_day_list],
        help_text=_("Dagar före sista dag för individuell bedömning (lagets förlängda dag, om den har en)."),
    )
    consensus_reminder_days = forms.CharField(
        label=_("Lagledare vars konsensus inte är fastställd"),
        max_length=40,
        required=False,
        validators=[validate_day_list],
        help_text=_("Dagar före sista dag för konsensus."),
    )
    report_reminder_days = forms.CharField(
        label=_("SLK, när återföringsrapporter väntar på godkännande"),
        max_length=40,
        required=False,
        validators=[validate_day_list],
        help_text=_("Dagar före släpp av återföringsrapporterna."),
    )
    questionnaire_send_day = forms.IntegerField(
        label=_("Enkäterna skickas"),
        min_value=0,
        max_value=60,
        help_text=_(
            "Dagar efter släpp av återföringsrapporterna, om ni inte har skickat dem själva innan dess."
        ),
    )
    questionnaire_reminder_days = forms.CharField(
        label=_("Påminnelse till den som inte har svarat på enkäten"),
        max_length=40,
        required=False,
        validators=[validate_day_list],
        help_text=_("Dagar efter släpp av återföringsrapporterna."),
    )


class UnitField(forms.CharField):
    """A unit typed by its code or its exact name, for forms where a drop-down of every
    unit would not scale: a city has hundreds of units, a national service tens of
    thousands. Cleans to the `Unit`. A code decides first (codes are unique); a name shared
    by several units is refused with their codes, so the user can type the right one.
    Letters match in any case, å, ä and ö included, on both databases."""

    default_error_messages = {
        "unknown": _(
            "Det finns ingen enhet med namnet eller koden ”%(value)s”. Skriv namnet som det står i bidraget, eller enhetens kod."
        ),
        "ambiguous": _("Flera enheter heter ”%(value)s”. Skriv koden för den du menar: %(choices)s."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("help_text", _("Enhetens namn eller kod."))
        super().__init__(**kwargs)

    def clean(self, value):
        from award.models import Unit

        value = super().clean(value).strip()
        if not value:
            return None
        # A regular expression rather than iexact: SQLite folds only ASCII letters for iexact,
        # so "förskolan älven" would miss "Förskolan Älven" (Django's SQLite regex is Python's).
        exact = rf"^{re.escape(value)}$"
        units = Unit.objects.select_related("organisation")
        # A code is unique and is what the refusal below asks for, so it always decides.
        by_code = list(units.filter(code__iregex=exact))
        if len(by_code) == 1:
            return by_code[0]
        matches = list(units.filter(name__iregex=exact).order_by("code")[:11])
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": value}
            )
        choices = ", ".join(f"{u.code} ({u.organisation.name})" for u in matches[:10])
        raise forms.ValidationError(
            self.error_messages["ambiguous"], code="ambiguous", params={"value": value, "choices": choices}
        )
