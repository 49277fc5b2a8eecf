"""What the evaluation app holds about a person, for SLK's personal-data page
(award.personal): their answers to the cycle's questionnaires. Registered in
EvaluationConfig.ready(). The answers stay on anonymisation (under the pseudonym); any
mention of the person's name in them is replaced with the other texts."""

from django.utils.translation import gettext as _

from award.personal.providers import Section, iso
from evaluation.models import Questionnaire, QuestionnaireResponse


class EvaluationPersonalData:
    label = "evaluation"
    # A questionnaire records only which staff member sent it (audited).
    models = (Questionnaire, QuestionnaireResponse)
    cleared = ()

    def export(self, person) -> list[Section]:
        responses = [
            {
                "cycle": r.questionnaire.cycle.year,
                "questionnaire": str(r.questionnaire.get_audience_display()),
                "answers": r.answers,
                "submitted_at": iso(r.submitted_at),
            }
            for r in QuestionnaireResponse.objects.filter(respondent=person).select_related(
                "questionnaire__cycle"
            )
        ]
        return [Section("questionnaire_responses", _("Enkätsvar"), responses)]

    def refusals(self, person) -> list[str]:
        return []

    def anonymise(self, person, *, by) -> dict:
        return {}
