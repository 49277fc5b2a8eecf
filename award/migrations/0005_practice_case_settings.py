import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("award", "0004_committee_protects_its_cycle"),
    ]

    operations = [
        migrations.AddField(
            model_name="awardcycle",
            name="practice_case_required",
            field=models.BooleanField(
                default=False,
                help_text="Den som är ny blir kvalificerad först när hen har lämnat in en bedömning av övningsfallet.",
                verbose_name="nya examinatorer måste göra utbildningens övningsfall",
            ),
        ),
        migrations.AddField(
            model_name="awardcycle",
            name="practice_deviation_threshold",
            field=models.PositiveSmallIntegerField(
                default=15,
                help_text="En deltagare vars medelavvikelse från referenspoängen når gränsen markeras för ett samtal.",
                validators=[django.core.validators.MaxValueValidator(100)],
                verbose_name="avvikelse från referensen som föranleder ett samtal (procentenheter)",
            ),
        ),
    ]
