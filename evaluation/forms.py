"""The evaluation's forms: the respondent's questionnaire, built from the fixed questions
of its audience, and SLK's send button. Validation of the answers is the service's
(`evaluation_services.questionnaire_answer`), so the form and any other caller refuse alike."""

from django import forms
from django.utils.translation import gettext_lazy as _

from award.forms import CleanTextMixin
from evaluation import services as evaluation_services
from evaluation.models import Questionnaire
from evaluation.questionnaire import TEXT_MAX_LENGTH, questions_for


class QuestionnaireForm(CleanTextMixin, forms.Form):
    def __init__(self, *args, questionnaire: Questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.questions = questions_for(questionnaire.audience)
        for question in self.questions:
            if question.is_scale:
                self.fields[question.key] = forms.TypedChoiceField(
                    label=question.text,
                    choices=question.value_labels(),
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Välj ett värde mellan 1 och 5.")},
                )
            else:
                self.fields[question.key] = forms.CharField(
                    label=question.text,
                    required=False,
                    max_length=TEXT_MAX_LENGTH,
                    widget=forms.Textarea(attrs={"rows": 5}),
                    help_text=_("Frivilligt. Svaren visas för stadsledningskontoret utan ditt namn."),
                )

    def save(self, *, by):
        """Record the answers through the service (which refuses what it must)."""
        return evaluation_services.questionnaire_answer(
            questionnaire=self.questionnaire, respondent=by, answers=self.cleaned_data, by=by
        )


class SendForm(CleanTextMixin, forms.Form):
    audience = forms.ChoiceField(choices=Questionnaire.Audience.choices, widget=forms.HiddenInput)
