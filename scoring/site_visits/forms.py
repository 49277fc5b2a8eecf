"""Forms of the site-visit page: the visit's record, and a consensus score revised after
it. They validate what the user typed; the services decide whether it may be saved."""

from django import forms
from django.utils.translation import gettext_lazy as _

from award.forms import CleanTextMixin
from scoring.consensus.forms import score_choices


class SiteVisitForm(CleanTextMixin, forms.Form):
    visit_date = forms.DateField(
        label=_("Datum för besöket"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    participants = forms.CharField(
        label=_("Deltagare"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Examinatorer och de från enheten som deltar."),
    )
    questions = forms.CharField(
        label=_("Frågor att verifiera"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Utkastet kommer från konsensus; ändra fritt."),
    )
    findings = forms.CharField(
        label=_("Iakttagelser"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    done = forms.BooleanField(
        label=_("Besöket är genomfört"),
        required=False,
        help_text=_("Kräver datum och iakttagelser. Därefter kan lagledaren ändra poäng med motivering."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, done_already=False, **kwargs):
        super().__init__(*args, **kwargs)
        if done_already:
            del self.fields["done"]


class VisitScoreForm(CleanTextMixin, forms.Form):
    score = forms.TypedChoiceField(
        label=_("Poäng efter platsbesöket"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Lämna tomt för att behålla konsensuspoängen."),
    )
    reason = forms.CharField(
        label=_("Skäl till ändringen"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, scale, criterion, **kwargs):
        super().__init__(*args, **kwargs)
        choices = score_choices(scale, criterion.kind)
        choices[0] = ("", _("– ingen ändring –"))
        self.fields["score"].choices = choices
        self.fields["score"].widget.attrs["aria-describedby"] = (
            f"{self.prefix}-bands {self['score'].auto_id}_helptext"
        )
