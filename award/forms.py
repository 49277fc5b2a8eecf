from django import forms
from django.utils.translation import gettext_lazy as _


class PhaseCloseForm(forms.Form):
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


class UnitField(forms.CharField):
    """A unit typed by its code or its exact name, for forms where a drop-down of every
    unit would not scale: a city has hundreds of units, a national service tens of
    thousands. Cleans to the `Unit`; a name shared by several units is refused with their
    codes, so the user can type the right one."""

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
        by_code = Unit.objects.filter(code__iexact=value).select_related("organisation").first()
        if by_code is not None:
            return by_code
        matches = list(
            Unit.objects.filter(name__iexact=value).select_related("organisation").order_by("code")[:11]
        )
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
