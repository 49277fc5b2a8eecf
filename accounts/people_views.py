"""SLK's people page (/omgang/personer/): everyone with their roles, units, team, training,
last login, second factor and pending invitations, searchable, filterable, sortable and
downloadable as XLSX; and one person's roles, where SLK grants and removes them with a
reason. Mounted in the award namespace by config/urls.py beside the personal-data page
(award.personal.views), so the address and its name (award:person_search) stay."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import queries, services, twofactor
from accounts.forms import CommitteeSeatForm, PeopleFilterForm, ReasonForm, RoleChangeForm, UnitContactForm
from award.models import CommitteeMembership
from award.roles import Role, role_required
from award.spreadsheets import XLSX_CONTENT_TYPE, StreamingWorkbook
from award.web import flash_form_errors, page_links, service_call

PAGE_SIZE = 100


def _row(person) -> dict:
    member = queries.current_pool_member(person)
    teams = [tm.team for tm in member.teams.all()] if member else []
    return {
        "person": person,
        "roles": queries.role_list(person),
        "units": list(person.units.all()),
        "committee": [m.cycle.year for m in person.committee_memberships.all()],
        "teams": teams,
        "training": member.training_status() if member else None,
        "pool_status": member.get_status_display() if member else "",
    }


@role_required(Role.SLK)
def people(request):
    form = PeopleFilterForm(request.GET or None)
    flt = form.filter()
    found = queries.people(flt)
    if request.GET.get("format") == "xlsx":
        return _xlsx(found)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    query.pop("format", None)
    response = render(
        request,
        "accounts/people.html",
        {
            "form": form,
            "page": page,
            "pagination": page_links(request, page),
            "rows": [_row(person) for person in page.object_list],
            "query": query.urlencode(),
            "invitations": queries.pending_invitations_without_account(flt.q),
            "role_requests": queries.open_role_requests(),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


def _xlsx(found) -> HttpResponse:
    book = StreamingWorkbook()
    sheet = book.sheet(
        _("Personer"),
        [
            _("Namn"),
            _("Användarnamn"),
            _("E-post"),
            _("Roller"),
            _("Kontaktperson för"),
            _("Domarkommitté"),
            _("Lag i år"),
            _("Utbildning"),
            _("Senast inloggad"),
            _("Tvåstegsverifiering"),
            _("Väntande inbjudningar"),
            _("Aktivt konto"),
        ],
    )
    yes, no = _("Ja"), _("Nej")
    for person in found.iterator(chunk_size=500):
        row = _row(person)
        book.append(
            sheet,
            [
                person.get_full_name(),
                person.username,
                person.email,
                ", ".join(str(r) for r in row["roles"]),
                ", ".join(u.name for u in row["units"]),
                ", ".join(str(y) for y in row["committee"]),
                ", ".join(t.name for t in row["teams"]),
                str(row["training"].label) if row["training"] else "",
                timezone.localtime(person.last_login).strftime("%Y-%m-%d %H:%M") if person.last_login else "",
                yes if person.has_two_factor else no,
                person.pending_invitations,
                yes if person.is_active else no,
            ],
        )
    response = HttpResponse(book.to_bytes(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="personer-{timezone.localdate().isoformat()}.xlsx"'
    )
    response["Cache-Control"] = "no-store"
    return response


def _person(pk):
    return get_object_or_404(get_user_model(), pk=pk)


@role_required(Role.SLK)
def person_roles(request, pk):
    """One person's roles, units, committee seats, account and second factor, with the
    forms that change them (each with a reason)."""
    person = _person(pk)
    response = render(
        request,
        "accounts/person_roles.html",
        {
            "person": person,
            "roles": queries.role_list(person),
            "units": person.units.order_by("name"),
            "seats": CommitteeMembership.objects.filter(user=person)
            .select_related("cycle")
            .order_by("-cycle__year"),
            "has_two_factor": twofactor.has_device(person),
            "two_factor_required": twofactor.second_factor_required(person),
            "role_form": RoleChangeForm(auto_id="id_role_%s"),
            "unit_form": UnitContactForm(auto_id="id_unit_%s"),
            "committee_form": CommitteeSeatForm(auto_id="id_committee_%s"),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@role_required(Role.SLK)
@require_POST
def person_role(request, pk):
    person = _person(pk)
    form = RoleChangeForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("award:person_roles", pk=person.pk)
    role, reason = Role(form.cleaned_data["role"]), form.cleaned_data["reason"]
    with service_call(request):
        if request.POST.get("action") == "remove":
            services.role_remove(person=person, role=role, by=request.user, reason=reason)
            messages.success(request, _("Rollen %(role)s är borttagen.") % {"role": role.label})
        else:
            services.role_grant(person=person, role=role, by=request.user, reason=reason)
            messages.success(
                request, _("%(name)s har nu rollen %(role)s.") % {"name": person, "role": role.label}
            )
    return redirect("award:person_roles", pk=person.pk)


@role_required(Role.SLK)
@require_POST
def person_unit(request, pk):
    person = _person(pk)
    form = UnitContactForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("award:person_roles", pk=person.pk)
    unit, reason = form.cleaned_data["unit"], form.cleaned_data["reason"]
    with service_call(request):
        if request.POST.get("action") == "remove":
            services.unit_contact_remove(person=person, unit=unit, by=request.user, reason=reason)
            messages.success(
                request,
                _("%(name)s är inte längre kontaktperson för %(unit)s.") % {"name": person, "unit": unit},
            )
        else:
            services.unit_contact_add(person=person, unit=unit, by=request.user, reason=reason)
            messages.success(
                request, _("%(name)s är nu kontaktperson för %(unit)s.") % {"name": person, "unit": unit}
            )
    return redirect("award:person_roles", pk=person.pk)


@role_required(Role.SLK)
@require_POST
def person_committee(request, pk):
    person = _person(pk)
    with service_call(request):
        if request.POST.get("action") == "remove":
            membership = get_object_or_404(
                CommitteeMembership, pk=request.POST.get("membership") or 0, user=person
            )
            form = ReasonForm(request.POST)
            if not form.is_valid():
                flash_form_errors(request, form)
                return redirect("award:person_roles", pk=person.pk)
            services.committee_unseat(
                membership=membership, by=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request, _("%(name)s är inte längre ledamot i domarkommittén.") % {"name": person}
            )
        else:
            form = CommitteeSeatForm(request.POST)
            if not form.is_valid():
                flash_form_errors(request, form)
                return redirect("award:person_roles", pk=person.pk)
            services.committee_seat(
                person=person,
                cycle=form.cleaned_data["cycle"],
                is_chair=form.cleaned_data["is_chair"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("%(name)s är nu ledamot i domarkommittén.") % {"name": person})
    return redirect("award:person_roles", pk=person.pk)


@role_required(Role.SLK)
def person_two_factor(request, pk):
    """SLK turns off the second factor of someone who lost their phone (and their recovery
    codes): with a reason; they set up a new one at their next login when their role needs it."""
    person = _person(pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form):
            services.two_factor_disable(person=person, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(
                request, _("Tvåstegsverifieringen för %(name)s är borttagen.") % {"name": person}
            )
            return redirect("award:person_roles", pk=person.pk)
    response = render(
        request,
        "accounts/person_two_factor.html",
        {
            "person": person,
            "form": form,
            "has_two_factor": twofactor.has_device(person),
            "required": twofactor.second_factor_required(person),
        },
    )
    response["Cache-Control"] = "no-store"
    return response
