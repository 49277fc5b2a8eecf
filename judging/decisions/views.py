"""The judging committee's decision pages: its meetings, the choice of site visits, the
draft decision per class (or for Förnyelsepriset), the chair's signature, corrections, and
SLK's record of the units' consent to be published among the good examples.

Committee members of the cycle and SLK see these pages; other roles get 403, and a
committee member of another cycle gets 404 so no decision's existence leaks. Every change
goes through `scoring.services`, which checks the award's rules (conflicts, eligibility,
locking) for whoever calls.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from award.models import AwardCycle, Track
from award.roles import Role, has_role, role_required
from award.web import service_call
from judging import consolidation
from judging import queries as judging_queries
from judging import rules as judging_rules
from judging import services as judging_services
from judging.decisions.forms import (
    Candidate,
    CorrectionForm,
    DecisionForm,
    GoodExampleForm,
    MeetingForm,
    SiteVisitChoiceForm,
)
from judging.models import Decision, DecisionOutcome, Meeting

committee_or_slk = role_required(Role.COMMITTEE, Role.SLK)


def _require_visible(user, cycle) -> None:
    """SLK, or a member of this cycle's committee; anyone else: 404."""
    judging_queries.require_committee_or_slk(user, cycle)


def _is_chair(user, cycle) -> bool:
    return cycle.has_committee_member(user, chair=True)


def _meeting(request, pk, kind) -> Meeting:
    meeting = get_object_or_404(
        Meeting.objects.select_related("cycle").prefetch_related("present"), pk=pk, kind=kind
    )
    _require_visible(request.user, meeting.cycle)
    return meeting


def _decision(request, pk) -> Decision:
    decision = get_object_or_404(
        Decision.objects.select_related(
            "meeting__cycle", "track", "competition_class", "signed_by", "created_by", "supersedes"
        ).prefetch_related(
            "stepped_out",
            "meeting__present",
            Prefetch(
                "outcomes", queryset=DecisionOutcome.objects.select_related("application__unit__organisation")
            ),
        ),
        pk=pk,
    )
    _require_visible(request.user, decision.meeting.cycle)
    return decision


def _superseded_by(decision) -> Decision | None:
    try:
        return decision.superseded_by
    except Decision.DoesNotExist:
        return None


def decision_edit_url(meeting, track, competition_class=None) -> str:
    url = reverse("judging:decision_edit", args=[meeting.pk, track.pk])
    return f"{url}?klass={competition_class.pk}" if competition_class else url


def _scopes(cycle):
    """(track, class or None) for every decision the cycle needs, in the order of the page."""
    return [
        (track, competition_class)
        for track in cycle.tracks.prefetch_related("classes").order_by("kind")
        for competition_class in (list(track.classes.all()) if track.has_classes else [None])
    ]


# --- the cycle's meetings and decisions ------------------------------------------------------


@committee_or_slk
def decisions(request, year):
    cycle = get_object_or_404(AwardCycle, year=year)
    _require_visible(request.user, cycle)
    form = MeetingForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form):
            meeting = form.save(by=request.user)
            messages.success(request, _("Mötet %(meeting)s är registrerat.") % {"meeting": meeting})
            return redirect("judging:decisions", year=cycle.year)

    meetings = list(cycle.meetings.prefetch_related("present").order_by("date", "pk"))
    final_meeting = next((m for m in reversed(meetings) if m.kind == Meeting.Kind.FINAL), None)
    by_scope: dict[tuple, list[Decision]] = {}
    for decision in (
        Decision.objects.filter(meeting__cycle=cycle)
        .select_related("meeting", "signed_by", "supersedes", "superseded_by")
        .prefetch_related("stepped_out")
        .order_by("created_at", "pk")
    ):
        by_scope.setdefault((decision.track_id, decision.competition_class_id), []).append(decision)
    scopes = [
        {
            "track": track,
            "competition_class": competition_class,
            "label": competition_class.name if competition_class else track.name,
            "decisions": by_scope.get((track.pk, competition_class.pk if competition_class else None), []),
            "edit_url": decision_edit_url(final_meeting, track, competition_class) if final_meeting else "",
        }
        for track, competition_class in _scopes(cycle)
    ]
    released = cycle.feedback_released()
    return render(
        request,
        "judging/decisions/decisions.html",
        {
            "cycle": cycle,
            "form": form,
            "meetings": meetings,
            "scopes": scopes,
            "is_slk": has_role(request.user, Role.SLK),
            "released": released,
            "waiting_to_notify": sum(
                1
                for s in scopes
                for d in s["decisions"]
                if d.status == Decision.Status.SIGNED and not d.notified_at
            ),
        },
    )


@role_required(Role.SLK)
@require_POST
def decisions_notify(request, year):
    cycle = get_object_or_404(AwardCycle, year=year)
    if not cycle.feedback_released():
        messages.error(
            request,
            _("Återföringsrapporterna släpps %(date)s. Beslutet meddelas enheter och examinatorer först då.")
            % {"date": date_format(cycle.feedback_release)},
        )
        return redirect("judging:decisions", year=cycle.year)
    sent = judging_services.decisions_notify(cycle=cycle, by=request.user)
    if sent:
        messages.success(
            request,
            ngettext(
                "Beslutet meddelades för %(count)d bidrag (enhetens kontakter och chef, lagets examinatorer).",
                "Besluten meddelades för %(count)d bidrag (enheternas kontakter och chefer, lagens examinatorer).",
                sent,
            )
            % {"count": sent},
        )
    else:
        messages.success(request, _("Det fanns inga nya signerade beslut att meddela."))
    return redirect("judging:decisions", year=cycle.year)


# --- the first meeting: site visits ------------------------------------------------------------


@committee_or_slk
def site_visit_choice(request, pk):
    meeting = _meeting(request, pk, Meeting.Kind.SHORTLISTING)
    # Shortlisting mode: the committee sees application codes, never units' names.
    groups = []
    for track in meeting.cycle.tracks.order_by("kind"):
        view = consolidation.consolidated(track, viewer=request.user)
        for group in view["classes"]:
            rows = [row for row in group["rows"] if row.total is not None]
            if rows:
                groups.append({"track": track, "name": group["name"], "rows": rows})
    choosable = [
        row.application for g in groups for row in g["rows"] if not row.had_visit and not row.conflict
    ]
    form = SiteVisitChoiceForm(request.POST or None, meeting=meeting, choosable=choosable)
    if request.method == "POST" and form.is_valid():
        with service_call(request):
            visits = form.save(by=request.user)
            messages.success(
                request,
                ngettext(
                    "%(count)d bidrag är valt för platsbesök.",
                    "%(count)d bidrag är valda för platsbesök.",
                    len(visits),
                )
                % {"count": len(visits)},
            )
            return redirect("judging:site_visit_choice", pk=meeting.pk)
    chosen = {str(pk) for pk in form["applications"].value() or []}
    return render(
        request,
        "judging/decisions/site_visit_choice.html",
        {"meeting": meeting, "groups": groups, "form": form, "chosen": chosen},
    )


# --- the final meeting: a decision per class -----------------------------------------------------


def _candidates(track, competition_class, viewer) -> list[Candidate]:
    """The applications of the scope with their consensus total, rank, the viewer's
    conflicts and, per outcome, why it may not be given (`judging_rules.outcome_refusal`, asked
    of applications loaded with what it reads); a fixed number of queries."""
    view = consolidation.consolidated(track, viewer=viewer)
    rows = [
        row
        for group in view["classes"]
        for row in group["rows"]
        if competition_class is None or row.application.competition_class_id == competition_class.pk
    ]
    judged = judging_queries.outcome_facts(row.application.pk for row in rows)
    return [
        Candidate(
            application=row.application,
            conflict=row.conflict,
            refusals={
                outcome: judging_rules.outcome_refusal(judged[row.application.pk], outcome)
                for outcome in DecisionOutcome.Outcome.values
            },
            total=row.final_total,
            rank=row.rank,
            had_visit=row.had_visit,
        )
        for row in rows
    ]


@committee_or_slk
def decision_edit(request, pk, track_pk):
    meeting = _meeting(request, pk, Meeting.Kind.FINAL)
    track = get_object_or_404(Track, pk=track_pk, cycle=meeting.cycle)
    competition_class = None
    if track.has_classes:
        classes = track.classes.all()
        klass = request.GET.get("klass", "")
        if not klass:
            first = classes.first()
            if first is None:
                raise Http404
            return redirect(decision_edit_url(meeting, track, first))
        if not klass.isdigit():
            raise Http404
        competition_class = get_object_or_404(classes, pk=klass)
    edit_url = decision_edit_url(meeting, track, competition_class)

    current = list(
        Decision.objects.current()
        .filter(track=track, competition_class=competition_class)
        .select_related("signed_by")
        .prefetch_related("outcomes")
        .order_by("-pk")
    )
    draft = next((d for d in current if d.status == Decision.Status.DRAFT), None)
    signed = next((d for d in current if d.status == Decision.Status.SIGNED), None)
    candidates = _candidates(track, competition_class, request.user)
    form = DecisionForm(request.POST or None, candidates=candidates, decision=draft)
    stale = None
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form) as call:
            decision = form.save(
                meeting=meeting,
                track=track,
                competition_class=competition_class,
                decision=draft,
                by=request.user,
            )
            messages.success(
                request,
                _("Beslutsutkastet för %(scope)s är sparat. Ordföranden signerar det när kommittén är klar.")
                % {"scope": decision.scope_label},
            )
            return redirect(edit_url)
        if call.stale is not None:
            # Keep what the member wrote, on top of the version now saved, beside it.
            stale = Decision.objects.prefetch_related("outcomes__application").get(pk=call.stale.pk)
            data = request.POST.copy()
            data["version"] = str(stale.version)
            form = DecisionForm(data, candidates=candidates, decision=draft)
            form.is_valid()
    cycle = meeting.cycle
    return render(
        request,
        "judging/decisions/decision_edit.html",
        {
            "meeting": meeting,
            "cycle": cycle,
            "track": track,
            "competition_class": competition_class,
            "scope_label": competition_class.name if competition_class else track.name,
            "decision": draft,
            "signed": signed,
            "locked": draft is None and signed is not None,
            "form": form,
            "stale": stale,
            "is_renewal": track.kind == Track.Kind.RENEWAL_PRIZE,
            "is_chair": _is_chair(request.user, cycle),
            # R13: a conflict with any candidate keeps the member out of the whole decision.
            "stepped_out": [
                a.code
                for a in judging_rules.member_scope_conflicts(
                    request.user, track=track, class_id=competition_class.pk if competition_class else None
                )
            ],
            "class_links": [
                {
                    "name": c.name,
                    "url": decision_edit_url(meeting, track, c),
                    "current": c == competition_class,
                }
                for c in (track.classes.all() if track.has_classes else [])
            ],
        },
    )


@committee_or_slk
def decision_detail(request, pk):
    decision = _decision(request, pk)
    cycle = decision.meeting.cycle
    superseded_by = _superseded_by(decision)
    is_draft = decision.status == Decision.Status.DRAFT
    final_meeting = decision.meeting if decision.meeting.kind == Meeting.Kind.FINAL else None
    return render(
        request,
        "judging/decisions/decision_detail.html",
        {
            "decision": decision,
            "cycle": cycle,
            "outcomes": list(decision.outcomes.all()),
            "superseded_by": superseded_by,
            "is_draft": is_draft,
            "is_renewal": decision.track.kind == Track.Kind.RENEWAL_PRIZE,
            "is_slk": has_role(request.user, Role.SLK),
            "can_sign": is_draft
            and _is_chair(request.user, cycle)
            and not judging_rules.chair_conflict_refusal(decision, request.user),
            "can_correct": decision.status == Decision.Status.SIGNED and superseded_by is None,
            "edit_url": decision_edit_url(final_meeting, decision.track, decision.competition_class)
            if is_draft and final_meeting
            else "",
        },
    )


@committee_or_slk
def decision_sign(request, pk):
    decision = _decision(request, pk)
    if not _is_chair(request.user, decision.meeting.cycle):
        raise PermissionDenied(_("Bara kommitténs ordförande signerar beslut."))
    if decision.is_signed:
        messages.error(request, _("Beslutet är redan signerat."))
        return redirect("judging:decision_detail", pk=decision.pk)
    if request.method == "POST":
        with service_call(
            request, success=_("Beslutet är signerat och låst. Ändringar görs nu som en rättelse.")
        ):
            judging_services.decision_sign(decision=decision, by=request.user)
        return redirect("judging:decision_detail", pk=decision.pk)
    outcomes = list(decision.outcomes.all())
    return render(
        request,
        "judging/decisions/sign_confirm.html",
        {
            "decision": decision,
            "outcomes": outcomes,
            "is_renewal": decision.track.kind == Track.Kind.RENEWAL_PRIZE,
            # The service asks the same at the signature; the page says so before.
            "refusals": [
                r
                for r in (
                    judging_rules.chair_conflict_refusal(decision, request.user),
                    *(judging_rules.outcome_refusal(o.application, o.outcome) for o in outcomes),
                )
                if r
            ],
        },
    )


@committee_or_slk
def decision_correct(request, pk):
    decision = _decision(request, pk)
    if decision.status != Decision.Status.SIGNED or _superseded_by(decision) is not None:
        messages.error(request, _("Bara ett signerat beslut som inte redan har en rättelse kan rättas."))
        return redirect("judging:decision_detail", pk=decision.pk)
    form = CorrectionForm(request.POST or None, decision=decision)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form):
            correction = form.save(by=request.user)
            messages.success(
                request,
                _(
                    "Rättelsen är ett nytt utkast. Ändra det och låt ordföranden signera; då ersätter det beslutet."
                ),
            )
            if correction.meeting.kind == Meeting.Kind.FINAL:
                return redirect(
                    decision_edit_url(correction.meeting, correction.track, correction.competition_class)
                )
            return redirect("judging:decision_detail", pk=correction.pk)
    return render(request, "judging/decisions/correct.html", {"decision": decision, "form": form})


# --- good examples -------------------------------------------------------------------------------


@role_required(Role.SLK)
def good_example_edit(request, pk):
    outcome = get_object_or_404(
        DecisionOutcome.objects.select_related(
            "decision__meeting__cycle", "decision__track", "decision__competition_class", "application__unit"
        ),
        pk=pk,
    )
    form = GoodExampleForm(request.POST or None, outcome=outcome)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form, success=_("Uppgifterna för goda exempel är sparade.")):
            form.save(by=request.user)
            return redirect("judging:decision_detail", pk=outcome.decision_id)
    return render(
        request,
        "judging/decisions/good_example_edit.html",
        {"outcome": outcome, "decision": outcome.decision, "form": form},
    )
