"""Fill the planned timeline of the cycles that exist.

An opened cycle's plan is its dates before any phase was closed early or extended: for
each date, the old value of the first such move the audit trail records, otherwise the
date as it stands. A draft's dates are its plan and need nothing stored.
"""

from django.db import migrations

# The timeline as it was when this migration was written (award.models.TIMELINE_FIELDS):
# a migration keeps its own copy, so a later change to the model cannot change it.
TIMELINE_FIELDS = [
    "registration_opens",
    "registration_closes",
    "application_deadline",
    "assessment_deadline",
    "consensus_deadline",
    "first_committee_meeting",
    "site_visits_start",
    "site_visits_end",
    "final_committee_meeting",
    "ceremony_date",
    "feedback_release",
]
PHASE_MOVES = ["cycle.phase_closed_early", "cycle.phase_extended"]


def fill_planned_timeline(apps, schema_editor):
    AwardCycle = apps.get_model("award", "AwardCycle")
    AuditEntry = apps.get_model("award", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    cycle_type = ContentType.objects.filter(app_label="award", model="awardcycle").first()
    for cycle in AwardCycle.objects.filter(status="open"):
        if cycle.planned_timeline:
            continue
        plan = {name: getattr(cycle, name).isoformat() for name in TIMELINE_FIELDS}
        if cycle_type is not None:
            moves = AuditEntry.objects.filter(
                content_type=cycle_type, object_id=str(cycle.pk), action__in=PHASE_MOVES
            ).order_by("-at", "-id")
            # Latest first, so the first move of each date is the one that wins.
            for entry in moves:
                for name, change in (entry.changes or {}).items():
                    if name in plan and isinstance(change, list) and len(change) == 2 and change[0]:
                        plan[name] = change[0]
        cycle.planned_timeline = plan
        cycle.save(update_fields=["planned_timeline"])


class Migration(migrations.Migration):
    dependencies = [
        ("award", "0002_awardcycle_planned_timeline_and_team_limit"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(fill_planned_timeline, migrations.RunPython.noop, elidable=True)]
