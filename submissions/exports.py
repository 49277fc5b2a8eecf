"""Documents made from applications: the printable PDF and SLK's overview spreadsheet."""

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from award.spreadsheets import XLSX_CONTENT_TYPE, StreamingWorkbook


def application_pdf(request, context: dict) -> bytes:
    # Imported here: WeasyPrint loads Pango at import, which only the PDF pages need.
    from weasyprint import CSS, HTML

    # The print stylesheet is read from disk: fetching it back over HTTP from this same
    # server can fail or hang, and WeasyPrint would then quietly print without it.
    html = render_to_string("submissions/print.html", {**context, "for_pdf": True}, request=request)
    stylesheets = [CSS(filename=finders.find("css/print.css"))]
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(stylesheets=stylesheets)


OVERVIEW_HEADER = [
    "Bidragskod",
    "Spår",
    "Tävlingsklass",
    "Enhet",
    "Förvaltning",
    "Anmälan",
    "Status",
    "Besvarade kriterier",
    "Antal kriterier",
    "Kan tilldelas utmärkelsen",
    "Anmärkning",
    "Senast ändrad",
]


def overview_rows(applications):
    for a in applications.iterator(chunk_size=500):
        yield [
            a.code,
            a.track.name,
            a.competition_class.name if a.competition_class else "",
            a.unit.name,
            a.unit.organisation.name,
            a.get_registration_status_display(),
            a.state_label,
            a.answered,
            a.criteria_count,
            _("Ja") if a.award_eligible else _("Nej"),
            a.eligibility_note,
            timezone.localtime(a.updated_at).strftime("%Y-%m-%d %H:%M"),
        ]


def overview_xlsx_response(*, cycle, applications) -> HttpResponse:
    book = StreamingWorkbook()
    sheet = book.sheet(f"Bidrag {cycle.year}", OVERVIEW_HEADER)
    for row in overview_rows(applications):
        book.append(sheet, row)
    response = HttpResponse(book.to_bytes(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="tavlingsbidrag-{cycle.year}.xlsx"'
    return response
