"""Forms of the committee's decision pages. They validate; `save()` calls the service."""

from dataclasses import dataclass, field

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from award.forms import CleanTextMixin
from award.models import CommitteeMembership
from judging import services as judging_services
from judging.models import DecisionOutcome, Meeting
from submissions.models import Application


class MeetingForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Möte"), choices=Meeting.Kind.choices)
    date = forms.DateField(
        label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    present = forms.ModelMultipleChoiceField(
        label=_("Närvarande ledamöter"),
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(label=_("Anteckningar"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        field = self.fields["present"]
        field.queryset = (
            get_user_model()
            .objects.filter(committee_memberships__cycle=cycle)
            .order_by("-committee_memberships__is_chair", "last_name", "username")
        )
        chair_ids = set(
            CommitteeMembership.objects.of_cycle(cycle).chairs().values_list("user_id", flat=True)
        )
        field.label_from_instance = lambda user: (
            f"{user.get_full_name() or user.username}{_(' (ordförande)') if user.pk in chair_ids else ''}"
        )

    def save(self, *, by) -> Meeting:
        return judging_services.meeting_record(cycle=self.cycle, by=by, **self.cleaned_data)


class SiteVisitChoiceForm(CleanTextMixin, forms.Form):
    """The applications chosen at the first meeting. `choosable` are those with a final
    consensus, not yet chosen and without a conflict for the person recording."""

    applications = forms.ModelMultipleChoiceField(
        label=_("Bidrag till platsbesök"),
        queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Välj minst ett bidrag.")},
    )

    def __init__(self, *args, meeting, choosable, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["applications"].queryset = Application.objects.filter(pk__in=[a.pk for a in choosable])

    def save(self, *, by):
        return judging_services.site_visits_choose(
            meeting=self.meeting, applications=list(self.cleaned_data["applications"]), by=by
        )


@dataclass
class Candidate:
    """An application of the decision's scope as the decision page shows it."""

    application: Application
    conflict: bool = False
    refusals: dict[str, str] = field(default_factory=dict)  # outcome -> rules.outcome_refusal
    total: object = None
    rank: int | None = None
    had_visit: bool = False

    @property
    def refusal(self) -> str:
        """Why it may not win."""
        return self.refusals.get(DecisionOutcome.Outcome.WINNER, "")

    @property
    def mention_refusal(self) -> str:
        """Why it may not be named at all (not judged), which also stops it winning."""
        return self.refusals.get(DecisionOutcome.Outcome.HONOURABLE_MENTION, "")


OUTCOME_CHOICES = [("", _("Inget utfall")), *DecisionOutcome.Outcome.choices]


class DecisionForm(CleanTextMixin, forms.Form):
    """One outcome and citation per application of the class, no award, and the rationale.
    Fields of an application the viewer has a conflict with are disabled: Django then keeps
    the saved value whatever is posted, and `clean` refuses an attempt to change it. An
    outcome the candidate's `refusals` refuse is not offered (unless saved before, so the
    page shows it), and choosing it is refused with the reason."""

    no_award = forms.BooleanField(label=_("Ingen utmärkelse delas ut i klassen i år"), required=False)
    rationale = forms.CharField(
        label=_("Motivering till beslutet"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Kommitténs skäl, som de står i beslutsprotokollet."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, candidates: list[Candidate], decision=None, **kwargs):
        saved = {o.application_id: o for o in decision.outcomes.all()} if decision else {}
        initial = kwargs.pop("initial", {}) or {}
        if decision is not None:
            initial |= {
                "no_award": decision.no_award,
                "rationale": decision.rationale,
                "version": decision.version,
            }
        for candidate in candidates:
            outcome = saved.get(candidate.application.pk)
            initial[self.outcome_name(candidate)] = outcome.outcome if outcome else ""
            initial[self.citation_name(candidate)] = outcome.citation if outcome else ""
        super().__init__(*args, initial=initial, **kwargs)
        self.candidates = candidates
        for candidate in candidates:
            code = candidate.application.code
            # The page explains a conflict or a refusal beside the fields, under this id.
            described = {"aria-describedby": self.note_id(candidate)} if self.has_note(candidate) else {}
            saved_outcome = self.initial[self.outcome_name(candidate)]
            self.fields[self.outcome_name(candidate)] = forms.ChoiceField(
                label=_("Utfall för %(code)s") % {"code": code},
                choices=[
                    (value, label)
                    for value, label in OUTCOME_CHOICES
                    if not candidate.refusals.get(value) or value == saved_outcome
                ],
                required=False,
                disabled=candidate.conflict,
                widget=forms.Select(attrs=described),
            )
            self.fields[self.citation_name(candidate)] = forms.CharField(
                label=_("Motivering (citat) för %(code)s") % {"code": code},
                required=False,
                disabled=candidate.conflict,
                widget=forms.Textarea(attrs={"rows": 3, **described}),
            )

    @staticmethod
    def has_note(candidate) -> bool:
        return candidate.conflict or any(candidate.refusals.values())

    @staticmethod
    def note_id(candidate) -> str:
        return f"note-{candidate.application.pk}"

    @staticmethod
    def outcome_name(candidate) -> str:
        return f"outcome_{candidate.application.pk}"

    @staticmethod
    def citation_name(candidate) -> str:
        return f"citation_{candidate.application.pk}"

    def entries(self):
        """(candidate, outcome field, citation field) for the template."""
        return [(c, self[self.outcome_name(c)], self[self.citation_name(c)]) for c in self.candidates]

    def clean(self):
        cleaned = super().clean()
        for candidate in self.candidates:
            outcome_name, citation_name = self.outcome_name(candidate), self.citation_name(candidate)
            if candidate.conflict:
                posted = (self.data.get(outcome_name), self.data.get(citation_name))
                kept = (self.initial.get(outcome_name), self.initial.get(citation_name))
                if any(
                    p is not None and p.strip() != (k or "").strip()
                    for p, k in zip(posted, kept, strict=True)
                ):
                    self.add_error(
                        None,
                        _("Du har jäv mot %(code)s och kan inte registrera beslut om det.")
                        % {"code": candidate.application.code},
                    )
                continue
            refusal = candidate.refusals.get(cleaned.get(outcome_name) or "")
            if refusal:
                self.add_error(outcome_name, refusal)
            elif cleaned.get(outcome_name) and not (cleaned.get(citation_name) or "").strip():
                self.add_error(citation_name, _("Skriv en motivering (citat) för utfallet."))
        return cleaned

    def outcomes(self) -> list[judging_services.OutcomeData]:
        return [
            judging_services.OutcomeData(
                application=c.application,
                outcome=self.cleaned_data[self.outcome_name(c)],
                citation=self.cleaned_data[self.citation_name(c)] or "",
            )
            for c in self.candidates
            if self.cleaned_data.get(self.outcome_name(c))
        ]

    def save(self, *, meeting, track, competition_class, decision, by):
        return judging_services.decision_save(
            meeting=meeting,
            track=track,
            competition_class=competition_class,
            no_award=self.cleaned_data["no_award"],
            rationale=self.cleaned_data["rationale"],
            outcomes=self.outcomes(),
            by=by,
            decision=decision,
            base_version=self.cleaned_data["version"] if decision is not None else None,
        )


class CorrectionForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Skäl till rättelsen"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Skälet står i det nya beslutet och i historiken."),
    )

    def __init__(self, *args, decision, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision

    def save(self, *, by):
        return judging_services.decision_correct(
            decision=self.decision, reason=self.cleaned_data["reason"], by=by
        )


class GoodExampleForm(CleanTextMixin, forms.Form):
    unit_consented = forms.BooleanField(
        label=_("Enheten har samtyckt till publicering"),
        required=False,
        help_text=_("Sammanfattningen visas på den publika sidan Goda exempel bara med enhetens samtycke."),
    )
    public_summary = forms.CharField(
        label=_("Sammanfattning för goda exempel"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, outcome, **kwargs):
        kwargs.setdefault(
            "initial", {"unit_consented": outcome.unit_consented, "public_summary": outcome.public_summary}
        )
        super().__init__(*args, **kwargs)
        self.outcome = outcome

    def save(self, *, by):
        return judging_services.good_example_save(
            outcome=self.outcome,
            summary=self.cleaned_data["public_summary"],
            consented=self.cleaned_data["unit_consented"],
            by=by,
        )
