"""The judging committee's and the evaluation's models moved to their own apps (judging,
evaluation), which now own the same tables. Here scoring lets go of them in Django's state
only; the one column that pointed up the chain (a site visit's meeting, now
judging.SiteVisitChoice) is dropped after judging copied it, and the consensus gets the
lock that the committee's signed decision sets."""

from django.db import migrations, models


def lock_decided(apps, schema_editor):
    """A consensus behind a signed decision's outcome was locked by that decision; the lock
    is now a field of its own."""
    Consensus = apps.get_model("scoring", "Consensus")
    DecisionOutcome = apps.get_model("judging", "DecisionOutcome")
    for application_id, signed_at in DecisionOutcome.objects.filter(
        decision__status__in=["signed", "superseded"]
    ).values_list("application_id", "decision__signed_at"):
        Consensus.objects.filter(application_id=application_id, locked_at__isnull=True).update(
            locked_at=signed_at
        )


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0004_committee_meetings_questionnaires_protect_their_cycle"),
        ("judging", "0001_initial"),
        ("evaluation", "0001_initial"),
    ]

    operations = [
        migrations.RemoveField(model_name="sitevisit", name="meeting"),
        migrations.AddField(
            model_name="consensus",
            name="locked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="låst av kommitténs beslut"),
        ),
        migrations.RunPython(lock_decided, migrations.RunPython.noop),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="DecisionOutcome"),
                migrations.DeleteModel(name="Decision"),
                migrations.DeleteModel(name="Meeting"),
                migrations.DeleteModel(name="CommitteeConflict"),
                migrations.DeleteModel(name="QuestionnaireResponse"),
                migrations.DeleteModel(name="Questionnaire"),
            ],
            database_operations=[],
        ),
    ]
