"""The examiner's own assessment of an application: criterion by criterion, the unit's
answer beside the examiner's score and comments, saved as they work (htmx) or with the
save button, then submitted, reopened, and the hours recorded.

Only an examiner of the application's confirmed team who has opened it (answered the
conflict question) reaches these pages; everyone else gets 404. Teammates' scores and
comments are read from the database only once `queries.withholds_team_assessments` lets
them, so nothing of them can reach the page before the examiner's own submission.
"""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from award import request_memo
from award.autosave import autosave
from award.models import Criterion
from award.web import flash_form_errors, service_call
from scoring import queries, rules, services
from scoring.assessment.forms import AssessmentItemForm, HoursForm
from scoring.models import AssessmentItem
from submissions.models import Application

VIEW = "submissions.view_application"


def _page_url(application, anchor: str = "") -> str:
    url = reverse("scoring:assessment", args=[application.pk])
    return f"{url}#{anchor}" if anchor else url


def examiner_of_application(view):
    """Pass the application and the user's place in its team to the view; 404 for anyone
    outside the confirmed team, and the conflict question first for a member who has
    not opened the application yet."""

    @wraps(view)
    def wrapper(request, pk, **kwargs):
        application = get_object_or_404(
            Application.objects.select_related(
                "track__cycle__scale", "unit", "competition_class", "consensus"
            ),
            pk=pk,
        )
        team_member = queries.team_member_for(request.user, application)
        if team_member is None:
            raise Http404
        if not request_memo.has_object_perm(request.user, VIEW, application):
            url = reverse("examiners:application_open", args=[application.pk])
            if request.htmx:
                return HttpResponseClientRedirect(url)
            # After the conflict question the examiner lands on the page they asked for.
            return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        return view(request, application, team_member, **kwargs)

    return wrapper


def _consensus_started(application) -> bool:
    return getattr(application, "consensus", None) is not None


@examiner_of_application
def assessment(request, application, team_member):
    own, items = queries.own_assessment(application, team_member.member)
    return _render_page(request, application, own, items)


def _render_page(request, application, own, items=None, *, bound=None, conflicts=None, status=200):
    """The whole page; `bound` holds a criterion's form as the examiner sent it (refused
    or in conflict) and `conflicts` the item as saved by the other edit, both by
    criterion id."""
    bound, conflicts = bound or {}, conflicts or {}
    scale = application.track.cycle.scale
    prefetch_related_objects([scale], "bands")
    if items is None:
        items = list(own.items.select_related("criterion").order_by("criterion__number"))
    answers = {answer.criterion_id: answer for answer in application.answers.all()}
    consensus_started = _consensus_started(application)
    editable = not own.is_submitted and not consensus_started

    team_rows = {}
    may_see_team = not queries.withholds_team_assessments(request.user, application)
    if may_see_team:
        team_rows = {row["criterion"].pk: row for row in queries.criterion_rows(application)}

    criteria = []
    for item in items:
        criterion = item.criterion
        form = bound.get(criterion.pk) or AssessmentItemForm(item=item)
        row = team_rows.get(criterion.pk)
        criteria.append(
            {
                "item": item,
                "criterion": criterion,
                "answer": answers.get(criterion.pk),
                "form": form,
                "score_groups": form.score_groups(scale, criterion.kind) if editable else [],
                "band": scale.band_for(criterion.kind, item.score) if item.score is not None else None,
                "conflict": conflicts.get(criterion.pk),
                "many_strengths": len(item.strengths) > 5,
                "many_improvements": len(item.improvements) > 5,
                "team": row,
                "teammates": [i for i in row["items"] if i.assessment.member_id != own.member_id]
                if row
                else [],
            }
        )
    # The unit's previous entry, so progress can be judged: its announced result and the
    # total its released report showed, never anyone's individual scores.
    earlier = queries.earlier_entry(application)
    context = {
        "application": application,
        "assessment": own,
        "criteria": criteria,
        "attachments": list(application.attachments.all()),
        "missing": rules.assessment_missing(own, items),
        # The same lines, each with the criterion it is about, for links to it.
        "missing_by_criterion": [
            (item.criterion.number, line) for item in items for line in rules.assessment_missing(own, [item])
        ],
        "done_count": sum(
            1 for item in items if item.score is not None and (item.strengths or item.improvements)
        ),
        "editable": editable,
        "consensus_started": consensus_started,
        "can_reopen": own.is_submitted and not consensus_started,
        "may_see_team": may_see_team,
        "hours_form": HoursForm(initial={"hours": own.hours}),
        "earlier": earlier,
        # A link only where the examiner may open it (they were in that cycle's team).
        "earlier_url": reverse("submissions:application_detail", args=[earlier.application.pk])
        if earlier is not None and request.user.has_perm("submissions.view_application", earlier.application)
        else "",
    }
    return render(request, "scoring/assessment/assessment.html", context, status=status)


@require_POST
@examiner_of_application
def item_save(request, application, team_member, criterion_id):
    """One criterion: htmx autosave answers with a status fragment (and the new version),
    the save button with the page. The first save starts the examiner's assessment."""
    # An autosave finds the examiner's row in one query, which the service then uses
    # without reading it again; only the first save starts the assessment (through the
    # service).
    item = (
        AssessmentItem.objects.select_related("criterion", "assessment")
        .filter(
            assessment__application=application,
            assessment__member=team_member.member,
            criterion_id=criterion_id,
            criterion__track_id=application.track_id,
        )
        .first()
    )
    if item is None:
        criterion = get_object_or_404(Criterion, pk=criterion_id, track_id=application.track_id)
        own = services.assessment_for(application=application, by=request.user)
        item = AssessmentItem.objects.select_related("criterion", "assessment").get(
            assessment=own, criterion=criterion
        )
    # The service reads the application's rules from the one this request has read.
    item.assessment.application = application
    criterion = item.criterion
    form = AssessmentItemForm(request.POST, item=item)
    if request.htmx:
        return autosave(
            request,
            form=form,
            save=lambda: form.save(item=item, by=request.user),
            # The page keeps the old version, so the save button then shows both texts.
            stale_message=_(
                "Inte sparat: kriteriet har sparats från ett annat fönster sedan du öppnade sidan. "
                "Tryck på Spara för att jämföra med den sparade versionen."
            ),
        )
    if not form.is_valid():
        return _render_page(request, application, item.assessment, bound={criterion.pk: form})
    with service_call(request, form=form) as outcome:
        form.save(item=item, by=request.user)
        messages.success(
            request,
            _("Kriterium %(n)s, %(title)s, är sparat.")
            % {"n": item.criterion.number, "title": item.criterion.title},
        )
        return redirect(_page_url(application, f"kriterium-{item.criterion.number}"))
    if outcome.stale is None:
        return _render_page(request, application, item.assessment, bound={criterion.pk: form})
    # Keep what the examiner wrote, on top of the version now saved.
    data = request.POST.copy()
    data[form.add_prefix("version")] = str(outcome.stale.version)
    return _render_page(
        request,
        application,
        item.assessment,
        bound={criterion.pk: AssessmentItemForm(data, item=item)},
        conflicts={criterion.pk: outcome.stale},
    )


@examiner_of_application
def submit(request, application, team_member):
    """A confirmation page, then the submission."""
    if request.method == "POST":
        with service_call(
            request, success=_("Din bedömning är inlämnad. Nu ser du lagkamraternas inlämnade bedömningar.")
        ):
            services.assessment_submit(
                assessment=services.assessment_for(application=application, by=request.user), by=request.user
            )
        return redirect(_page_url(application))
    own, items = queries.own_assessment(application, team_member.member)
    if own.is_submitted or _consensus_started(application):
        messages.info(request, _("Bedömningen kan inte lämnas in nu: den är redan inlämnad eller låst."))
        return redirect(_page_url(application))
    return render(
        request,
        "scoring/assessment/submit_confirm.html",
        {"application": application, "assessment": own, "missing": rules.assessment_missing(own, items)},
    )


@require_POST
@examiner_of_application
def reopen(request, application, team_member):
    own = services.assessment_for(application=application, by=request.user)
    with service_call(request, success=_("Bedömningen är öppnad igen. Lämna in den på nytt när du är klar.")):
        services.assessment_reopen(assessment=own, by=request.user)
    return redirect(_page_url(application))


@require_POST
@examiner_of_application
def hours(request, application, team_member):
    own = services.assessment_for(application=application, by=request.user)
    form = HoursForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        with service_call(
            request,
            success=_("Din tid för %(code)s är sparad: %(hours)s timmar.")
            % {"code": application.code, "hours": form.cleaned_data["hours"]},
        ):
            services.hours_record(assessment=own, hours=form.cleaned_data["hours"], by=request.user)
    return redirect(_page_url(application, "tid"))
