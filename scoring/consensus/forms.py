"""Forms of the consensus page. They validate what the user typed; the
services decide whether it may be saved."""

from functools import partial

from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from award.forms import CleanTextMixin


def score_choices(scale, kind: str) -> list:
    """The scale's steps only, grouped under the band they fall in for the criterion's
    kind, so every option is read together with its band."""
    bands = sorted((b for b in scale.bands.all() if b.kind == kind), key=lambda b: b.low)
    choices = [("", _("– ingen poäng ännu –"))]
    placed = set()
    for band in bands:
        steps = [s for s in scale.steps if band.low <= s <= band.high]
        placed.update(steps)
        label = f"{band.low}–{band.high} %: {Truncator(band.descriptor).words(8)}"
        choices.append((label, [(s, f"{s} %") for s in steps]))
    # A step outside every band (a scale still being set up) stays selectable.
    choices += [(s, f"{s} %") for s in scale.steps if s not in placed]
    return choices


def _texts_choices(groups) -> list[tuple[str, str]]:
    """Checkbox choices from members' texts: the text is the value, the label names who
    wrote it."""
    return [(text, f"{text} ({', '.join(names)})") for text, names in groups]


def _dedupe(lines) -> list[str]:
    seen, result = set(), []
    for line in lines:
        line = line.strip()
        if line and line not in seen:
            seen.add(line)
            result.append(line)
    return result


class ScoreField(forms.TypedChoiceField):
    """A step of the cycle's scale. The choices, grouped under the bands for the page, are
    built only when drawn; a posted value is checked against the scale's steps, which
    needs no query (an autosave draws nothing)."""

    steps: list[int] = []

    def valid_value(self, value) -> bool:
        return str(value) in {str(step) for step in self.steps}


class ConsensusItemForm(CleanTextMixin, forms.Form):
    """The agreed score and texts of one criterion. The agreed strengths (and areas for
    improvement) are the members' texts ticked plus the lines written in the box."""

    score = ScoreField(label=_("Överenskommen poäng"), coerce=int, empty_value=None, required=False)
    picked_strengths = forms.MultipleChoiceField(
        label=_("Välj bland lagets styrkor"), required=False, widget=forms.CheckboxSelectMultiple
    )
    strengths = forms.CharField(
        label=_("Egna formuleringar av styrkor (en per rad)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    picked_improvements = forms.MultipleChoiceField(
        label=_("Välj bland lagets förbättringsområden"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    improvements = forms.CharField(
        label=_("Egna formuleringar av förbättringsområden (en per rad)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    discussion_note = forms.CharField(
        label=_("Slutsats av diskussionen"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(
        self, *args, scale, criterion, strength_groups, improvement_groups, flagged, spread, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["score"].steps = scale.steps
        self.fields["score"].choices = partial(score_choices, scale, criterion.kind)
        self.fields["score"].widget.attrs["aria-describedby"] = f"{self.prefix}-bands"
        self.fields["picked_strengths"].choices = _texts_choices(strength_groups)
        self.fields["picked_improvements"].choices = _texts_choices(improvement_groups)
        if not strength_groups:
            del self.fields["picked_strengths"]
        if not improvement_groups:
            del self.fields["picked_improvements"]
        if flagged:
            self.fields["discussion_note"].help_text = _(
                "Krävs innan konsensus fastställs: spridningen är %(spread)s procentenheter."
            ) % {"spread": spread}

    @classmethod
    def initial_for(cls, item, strength_groups, improvement_groups) -> dict:
        """Split the saved lists into ticked members' texts and lines of the team's own."""
        member_strengths = {text for text, _names in strength_groups}
        member_improvements = {text for text, _names in improvement_groups}
        return {
            "score": item.score,
            "picked_strengths": [t for t in item.strengths if t in member_strengths],
            "strengths": "\n".join(t for t in item.strengths if t not in member_strengths),
            "picked_improvements": [t for t in item.improvements if t in member_improvements],
            "improvements": "\n".join(t for t in item.improvements if t not in member_improvements),
            "discussion_note": item.discussion_note,
            "version": item.version,
        }

    def agreed(self, kind: str) -> list[str]:
        """The agreed list of `kind` ("strengths" or "improvements"), in a stable order."""
        data = self.cleaned_data
        return _dedupe([*data.get(f"picked_{kind}", []), *data[kind].splitlines()])


class StartForm(CleanTextMixin, forms.Form):
    override_reason = forms.CharField(
        label=_("Skäl att starta innan alla har lämnat in"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Krävs när någon i laget inte har lämnat in, till exempel om en examinator har hoppat av."
        ),
    )
