"""SLK's page for one person's personal data: read and download everything the platform
holds about them, and anonymise someone who has left. SLK finds the person on the people
page (award:person_search, accounts.people_views, which sits above every app it reads).

The detail page answers `?format=json` with the export as a download, and a POST with
`confirm` checked anonymises the person.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from award.personal import data as personal_data
from award.roles import Role, role_required
from award.web import service_call


def _display(row):
    """A row of the export for the page: its (key, value) pairs, or a plain text."""
    if isinstance(row, dict):
        return {"pairs": list(row.items())}
    return {"text": str(row)}


def _rows(data):
    """A section's rows: its list, or its one row (the examiner profile) when there is one."""
    if isinstance(data, list):
        return data
    return [data] if data else []


@role_required(Role.SLK)
def person_detail(request, pk):
    person = get_object_or_404(get_user_model(), pk=pk)
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Bekräfta att personen ska anonymiseras."))
            return redirect("award:person_detail", pk=person.pk)
        with service_call(request):
            personal_data.anonymise(user=person, by=request.user)
            messages.success(
                request,
                _("Personen är anonymiserad som ”%(name)s”.") % {"name": personal_data.pseudonym(person)},
            )
        return redirect("award:person_detail", pk=person.pk)
    if request.GET.get("format") == "json":
        response = HttpResponse(
            personal_data.export_json(person), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="personuppgifter-{person.pk}.json"'
        response["Cache-Control"] = "no-store"
        return response
    found = personal_data.sections(person)
    data = {section.key: section.data for section in found}
    sections = [
        (section.title, [_display(row) for row in _rows(section.data)])
        for section in found
        if section.title is not None
    ]
    response = render(
        request,
        "award/personal/detail.html",
        {
            "person": person,
            "data": data,
            "sections": sections,
            "refusals": personal_data.anonymise_refusals(person, by=request.user),
        },
    )
    response["Cache-Control"] = "no-store"
    return response
