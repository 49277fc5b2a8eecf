"""The unit's improvement loop in the demo: a unit that entered last year, whose feedback
report was released with areas for improvement, notes in this year's draft what it has
done about them (demo/data/submissions.json, "improvement_notes"), beside each answer it
had begun.

It runs after demo.scoring and demo.judging, which write last year's reports: the notes
are written through submissions.services.answer_improvements_save on the clock, at the
moment the unit wrote the answer (before this year's deadline, after last year's release),
as the page would. A note already written is not written again."""

from demo import texts
from submissions import earlier_feedback, services
from submissions.models import Application

NOTES = texts.load("submissions")["improvement_notes"]


def seed(data, *, clock) -> list[str]:
    current = data["cycles"][clock.today.year]
    application = (
        Application.objects.filter(
            track__cycle=current, unit__name=NOTES["unit"], status=Application.Status.DRAFT
        )
        .select_related("track__cycle", "unit")
        .first()
    )
    if application is None:
        return []
    position = next(i for i, unit in enumerate(data["units"]) if unit.pk == application.unit_id)
    contact = data["users"]["unit_contacts"][position]
    done = NOTES["done"]
    answers = [
        a for a in application.answers.select_related("criterion").order_by("criterion__number") if a.text
    ]
    if not answers:
        return []
    with clock.at(answers[0].updated_at):
        areas = earlier_feedback.areas_for(application)
    for index, answer in enumerate(answers):
        criterion_areas = areas.get(answer.criterion.number, [])
        if not criterion_areas or answer.improvement_notes:
            continue
        # Not every area has been dealt with yet: the last one of a criterion stays open.
        notes = [done[(index + n) % len(done)] for n in range(max(len(criterion_areas) - 1, 1))]
        # Written with the answer, in the same sitting.
        clock.run(
            answer.updated_at,
            services.answer_improvements_save,
            application=application,
            criterion_id=answer.criterion_id,
            notes=notes,
            by=contact,
        )
    count = sum(1 for a in application.answers.all() if a.improvement_notes)
    return [
        f"Förbättringsarbete: {application.unit.name} har skrivit vad enheten gjort åt förra årets "
        f"förbättringsområden vid {count} kriterier i årets utkast {application.code}."
    ]
