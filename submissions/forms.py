from django import forms
from django.utils.translation import gettext_lazy as _

from award.forms import CleanTextMixin
from award.models import CompetitionClass, Track
from submissions.models import Application


class RegistrationForm(CleanTextMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Enhet"), queryset=None, empty_label=None)
    track = forms.ModelChoiceField(label=_("Tävlingsspår"), queryset=None, empty_label=None)
    competition_class = forms.ModelChoiceField(
        label=_("Tävlingsklass"),
        queryset=None,
        required=False,
        help_text=_("Bara för Kvalitetsutmärkelsen."),
    )
    head_has_full_responsibility = forms.BooleanField(
        label=_("Enhetens chef har verksamhets-, budget- och personalansvar"), required=False
    )
    deficit_last_year = forms.TypedChoiceField(
        label=_("Redovisade enheten underskott förra året?"),
        choices=[("0", _("Nej")), ("1", _("Ja"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="0",
    )
    deficit_forecast = forms.TypedChoiceField(
        label=_("Visar årets prognos underskott?"),
        choices=[("0", _("Nej")), ("1", _("Ja"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="0",
    )
    nominee_kind = forms.ChoiceField(
        label=_("Vem nomineras? (Förnyelsepriset)"),
        choices=[("", "–"), *Application.NomineeKind.choices],
        required=False,
    )
    nominee_name = forms.CharField(
        label=_("Den nominerades namn (Förnyelsepriset)"),
        max_length=200,
        required=False,
        help_text=_("Medarbetarens, chefens eller arbetslagets namn."),
    )

    def __init__(self, *args, units, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["track"].queryset = Track.objects.filter(cycle=cycle)
        self.fields["competition_class"].queryset = CompetitionClass.objects.filter(track__cycle=cycle)


class AnswerForm(CleanTextMixin, forms.Form):
    text = forms.CharField(label=_("Svar"), required=False, widget=forms.Textarea(attrs={"rows": 18}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, max_length: int, described_by: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        attrs = self.fields["text"].widget.attrs
        # No maxlength attribute: the browser would silently cut a pasted text, and the
        # server's clear refusal (which keeps the text) is better than a silent loss.
        attrs["data-max-length"] = str(max_length)
        if described_by:
            attrs["aria-describedby"] = described_by


def _film_url_field(db_field, **kwargs):
    if db_field.name == "film_url":
        return db_field.formfield(assume_scheme="https", **kwargs)
    return db_field.formfield(**kwargs)


class DetailsForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Application
        fields = ["film_url"]
        # A bare "youtu.be/…" becomes an https link (and Django 6's default is used today).
        formfield_callback = _film_url_field


class AttachmentForm(CleanTextMixin, forms.Form):
    file = forms.FileField(label=_("Fil"), help_text=_("PDF, DOCX, XLSX, PNG eller JPEG."))
    description = forms.CharField(label=_("Beskrivning"), max_length=200, required=False)


class ReasonForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("Motivering"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class OptionalReasonForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Motivering"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(OptionalReasonForm):
    decision = forms.ChoiceField(
        label=_("Beslut"),
        choices=[("approve", _("Godkänn anmälan")), ("reject", _("Avslå anmälan"))],
        widget=forms.RadioSelect,
    )


class ExtendForm(ReasonForm):
    until = forms.DateField(label=_("Till och med"), widget=forms.DateInput(attrs={"type": "date"}))


class ReopenForm(ReasonForm):
    until = forms.DateField(
        label=_("Ny sista dag (behövs om sista dagen har passerat)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class OverviewFilterForm(CleanTextMixin, forms.Form):
    sok = forms.CharField(
        label=_("Sök bidragskod, enhet eller förvaltning"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Alla")),
            ("pending", _("Väntar på godkännande")),
            ("draft", _("Utkast")),
            ("due_soon", _("Utkast nära sista dagen")),
            ("submitted", _("Inlämnat")),
            ("withdrawn", _("Återtaget")),
            ("rejected", _("Avslagen")),
        ],
    )
    competition_class = forms.ModelChoiceField(label=_("Tävlingsklass"), queryset=None, required=False)
    organisation = forms.ModelChoiceField(label=_("Förvaltning"), queryset=None, required=False)

    def __init__(self, *args, cycle, **kwargs):
        from award.models import Organisation

        super().__init__(*args, **kwargs)
        self.fields["competition_class"].queryset = CompetitionClass.objects.filter(track__cycle=cycle)
        self.fields["organisation"].queryset = Organisation.objects.all()


class ImprovementNotesForm(CleanTextMixin, forms.Form):
    """One note per area for improvement of the unit's last released feedback on a
    criterion: what the unit has done about it."""

    def __init__(self, *args, areas: list[str], notes: list[dict] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        done = {n.get("area"): n.get("done", "") for n in notes or []}
        self.rows = []
        for index, area in enumerate(areas):
            name = f"note_{index}"
            self.fields[name] = forms.CharField(
                label=_("Vad har ni gjort?"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=done.get(area, ""),
            )
            self.rows.append({"area": area, "field": self[name]})

    def notes(self) -> list[str]:
        return [self.cleaned_data[f"note_{i}"] for i in range(len(self.rows))]
