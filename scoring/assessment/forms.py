"""Forms of the individual assessment: one per criterion, and the hours spent."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from award.forms import CleanTextMixin
from scoring import services
from scoring.models import AssessmentItem

LIST_HELP = _("En per rad. 3–5 brukar räcka.")


class AssessmentItemForm(CleanTextMixin, forms.Form):
    """One criterion of the examiner's own assessment. The score is any whole number here:
    whether it lies on the cycle's scale is the service's rule, and its message is the one
    the examiner sees. The template draws the score as radio buttons grouped by band."""

    score = forms.IntegerField(label=_("Poäng (%)"), required=False)
    strengths = forms.CharField(
        label=_("Styrkor"), required=False, help_text=LIST_HELP, widget=forms.Textarea(attrs={"rows": 5})
    )
    improvements = forms.CharField(
        label=_("Förbättringsområden"),
        required=False,
        help_text=LIST_HELP,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    notes = forms.CharField(
        label=_("Egna anteckningar"),
        required=False,
        help_text=_("Syns bara för dig."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, item: AssessmentItem, **kwargs):
        kwargs.setdefault("prefix", prefix_for(item))
        if not args and "data" not in kwargs:
            kwargs.setdefault(
                "initial",
                {
                    "score": item.score,
                    "strengths": "\n".join(item.strengths),
                    "improvements": "\n".join(item.improvements),
                    "notes": item.notes,
                    "version": item.version,
                },
            )
        super().__init__(*args, **kwargs)

    def score_groups(self, scale, kind: str) -> list[dict]:
        """The scale's steps grouped under the band of the criterion's kind they fall in,
        each step marked when it is the form's current value. `scale.bands` should be
        prefetched."""
        field = self["score"]
        current = "" if field.value() is None else str(field.value())
        bands = [band for band in scale.bands.all() if band.kind == kind]
        groups = [{"band": band, "options": []} for band in bands]
        outside = {"band": None, "options": []}
        for value in scale.steps:
            option = {"value": value, "id": f"{field.auto_id}_{value}", "checked": current == str(value)}
            group = next((g for g, b in zip(groups, bands, strict=True) if b.low <= value <= b.high), outside)
            group["options"].append(option)
        return [g for g in [*groups, outside] if g["options"]]

    def save(self, *, item: AssessmentItem, by) -> AssessmentItem:
        data = self.cleaned_data
        return services.assessment_item_save(
            item=item,
            data=services.ItemData(
                score=data["score"],
                strengths=data["strengths"],
                improvements=data["improvements"],
                notes=data["notes"],
            ),
            base_version=data["version"],
            by=by,
        )


def prefix_for(item: AssessmentItem) -> str:
    # By criterion: the items of an assessment not yet started have no id.
    return f"k{item.criterion_id}"


class _DecimalCommaField(forms.DecimalField):
    """Accepts "2,5" as well as "2.5": people type the Swedish decimal comma."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", ".")
        return super().to_python(value)


class HoursForm(CleanTextMixin, forms.Form):
    hours = _DecimalCommaField(
        label=_("Nedlagd tid (timmar)"),
        required=False,
        max_digits=5,
        decimal_places=1,
        min_value=Decimal(0),
        help_text=_("Läsning, bedömning och förberedelser för det här bidraget, med högst en decimal."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
    )
