"""The judging app's long work, run by the worker with progress (award/jobs.py; registered
in apps.py): the cycle export as XLSX, and the decisions' notices to units and examiners.
The export writes its cells exactly as the page's download does (judging/exports.py)."""

import io

from django.utils.translation import gettext as _

from award.models import AwardCycle
from award.roles import Role, has_role
from judging import exports, services
from scoring.queries import withheld_assessments

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def slk_only(user, params) -> bool:
    return has_role(user, Role.SLK) and AwardCycle.objects.filter(year=params.get("year")).exists()


def cycle_export(job, progress):
    """The whole cycle's workbook, as SLK downloads it (examiners by name)."""
    cycle = AwardCycle.objects.get(year=job.params["year"])
    progress(0, 2)
    buffer = io.BytesIO()
    exports.write_xlsx(cycle, buffer, named=True, withheld=withheld_assessments(job.requested_by, cycle))
    progress(1, 2)
    return f"omgang-{cycle.year}.xlsx", XLSX_CONTENT_TYPE, buffer.getvalue()


def decision_notices(job, progress):
    """Every signed decision not yet announced, once its release date has come (the same
    service as the button and the scheduler: each person gets each decision once)."""
    cycle = AwardCycle.objects.get(year=job.params["year"])
    if not cycle.feedback_released():
        raise ValueError(
            _("Återföringsrapporterna släpps %(date)s.") % {"date": cycle.feedback_release.isoformat()}
        )
    progress(0, 1)
    services.decisions_notify(cycle=cycle, by=job.requested_by)
    return "", "", None
