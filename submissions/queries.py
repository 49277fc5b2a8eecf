"""Read-side queries for registrations and applications, filtered for visibility in SQL."""

import datetime as dt

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import get_objects_for_user

from award.models import Criterion, Phase
from award.roles import Role, has_role
from submissions.models import Answer, Application


def applications_for_user(user, perm: str = "submissions.view_application"):
    """Applications the user may see (or hold `perm` on). SLK sees all; everyone else only
    the objects they were granted, never through a model-wide permission."""
    base = Application.objects.select_related("track__cycle", "unit__organisation", "competition_class")
    if has_role(user, Role.SLK):
        return base
    return get_objects_for_user(user, perm, klass=base, accept_global_perms=False)


def application_for_user_or_404(user, pk: int, perm: str = "submissions.view_application") -> Application:
    """The application, if the user may see it; 404 otherwise so existence does not leak."""
    try:
        return applications_for_user(user, perm).get(pk=pk)
    except Application.DoesNotExist as error:
        raise Http404 from error


def with_completeness(queryset):
    """Annotate answered / criteria_count so completeness needs no query per row."""
    criteria = (
        Criterion.objects.filter(track=OuterRef("track"))
        .order_by()
        .values("track")
        .annotate(n=Count("pk"))
        .values("n")
    )
    answered = (
        Answer.objects.filter(application=OuterRef("pk"))
        .exclude(text="")
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        criteria_count=Coalesce(Subquery(criteria, output_field=IntegerField()), 0),
        answered=Coalesce(Subquery(answered, output_field=IntegerField()), 0),
    )


STATE_FILTERS = {
    "pending": Q(registration_status=Application.RegistrationStatus.PENDING)
    & ~Q(status=Application.Status.WITHDRAWN),
    "rejected": Q(registration_status=Application.RegistrationStatus.REJECTED),
    "draft": Q(status=Application.Status.DRAFT)
    & ~Q(registration_status=Application.RegistrationStatus.REJECTED),
    "submitted": Q(status=Application.Status.SUBMITTED)
    & ~Q(registration_status=Application.RegistrationStatus.REJECTED),
    "withdrawn": Q(status=Application.Status.WITHDRAWN),
}

# A draft is "near its deadline" from this many days before its last day.
DUE_SOON_DAYS = 7


def due_soon_filter(today=None) -> Q:
    """Drafts whose last day (the unit's extension, else the cycle's deadline) is today or
    within DUE_SOON_DAYS: the ones SLK may want to remind."""
    today = today or timezone.localdate()
    window = (today, today + dt.timedelta(days=DUE_SOON_DAYS))
    return STATE_FILTERS["draft"] & (
        Q(deadline_extended_to__range=window)
        | Q(deadline_extended_to__isnull=True, track__cycle__application_deadline__range=window)
    )


def overview(*, cycle, state: str = "", class_id: int | None = None, organisation_id: int | None = None):
    """Every registration and application of the cycle for SLK, filtered and annotated."""
    queryset = with_completeness(
        Application.objects.filter(track__cycle=cycle).select_related(
            "track", "unit__organisation", "competition_class"
        )
    ).order_by("track__kind", "competition_class__order", "unit__name", "code")  # total: pages never overlap
    if state in STATE_FILTERS:
        queryset = queryset.filter(STATE_FILTERS[state])
    elif state == "due_soon":
        queryset = queryset.filter(due_soon_filter())
    if class_id:
        queryset = queryset.filter(competition_class_id=class_id)
    if organisation_id:
        queryset = queryset.filter(unit__organisation_id=organisation_id)
    return queryset


def overview_counts(*, cycle) -> dict:
    """Counts per class (Förnyelsepriset as its own row) and state, in one query."""
    rows = (
        Application.objects.filter(track__cycle=cycle)
        .values("track__kind", "track__name", "competition_class__name", "competition_class__order")
        .annotate(
            total=Count("pk"),
            **{f"n_{state}": Count("pk", filter=condition) for state, condition in STATE_FILTERS.items()},
        )
        .order_by("track__kind", "competition_class__order")
    )
    table = []
    for row in rows:
        table.append(
            {
                "label": row["competition_class__name"] or row["track__name"],
                "total": row["total"],
                **{state: row[f"n_{state}"] for state in STATE_FILTERS},
            }
        )
    totals = {key: sum(r[key] for r in table) for key in ["total", *STATE_FILTERS]}
    return {"rows": table, "totals": totals}


def missing_parts(application: Application, answers=None) -> list[str]:
    """What stops the application from being submitted, as sentences."""
    answers = answers if answers is not None else application.answers.select_related("criterion")
    return [
        _("Svar saknas på %(number)s. %(title)s.")
        % {"number": a.criterion.number, "title": a.criterion.title}
        for a in sorted(answers, key=lambda a: a.criterion.number)
        if not a.text.strip()
    ]


def withdraw_refusal(application: Application) -> str:
    """Why the application cannot be withdrawn (empty when it can): the unit withdraws
    until the committee has decided, that is before the cycle's awarded phase. The one
    place the service and the application page ask."""
    if application.status == Application.Status.WITHDRAWN:
        return _("Bidraget är redan återtaget.")
    if application.track.cycle.phase in (Phase.AWARDED, Phase.FEEDBACK):
        return _("Domarkommittén har redan fattat beslut; bidraget kan inte återtas.")
    return ""


def is_unit_head(user, unit) -> bool:
    """The person is a contact of the unit and its head (the unit's head e-mail is theirs):
    the head may invite or add a second contact for the unit."""
    return (
        user.is_authenticated
        and bool(user.email)
        and user.email.casefold() == unit.head_email.casefold()
        and unit.contacts.filter(pk=user.pk).exists()
    )
