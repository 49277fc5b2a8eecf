"""Documents made from scoring: the feedback report as a PDF for the unit, and SLK's hours
summary as a spreadsheet."""

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from award.spreadsheets import XLSX_CONTENT_TYPE, StreamingWorkbook


def report_html(request, context: dict) -> str:
    """The HTML the PDF is made from (also what tests read, since a PDF's text is not)."""
    return render_to_string("scoring/feedback/report_pdf.html", context, request=request)


def report_pdf(request, context: dict) -> bytes:
    # Imported here: WeasyPrint loads Pango at import, which only the PDF pages need.
    from weasyprint import CSS, HTML

    # The shared print stylesheet is read from disk rather than fetched back over HTTP from
    # this same server; the document itself links nothing.
    stylesheets = [CSS(filename=finders.find("css/print.css"))]
    html = HTML(string=report_html(request, context), base_url=request.build_absolute_uri("/"))
    return html.write_pdf(stylesheets=stylesheets)


def hours_xlsx_response(*, cycle, summary: dict) -> HttpResponse:
    book = StreamingWorkbook()
    sheets = [
        (
            _("Per examinator"),
            [_("Examinator"), _("Timmar")],
            [
                [
                    f"{row['member__profile__user__first_name']} {row['member__profile__user__last_name']}",
                    row["total"],
                ]
                for row in summary["examiners"]
            ],
        ),
        (
            _("Per lag"),
            [_("Lag"), _("Timmar")],
            [[row["application__assignment__team__name"] or "", row["total"]] for row in summary["teams"]],
        ),
        (
            _("Per bidrag"),
            [_("Bidragskod"), _("Enhet"), _("Timmar")],
            [
                [row["application__code"], row["application__unit__name"], row["total"]]
                for row in summary["applications"]
            ],
        ),
    ]
    for title, header, rows in sheets:
        sheet = book.sheet(title, header)
        for row in rows:
            book.append(sheet, row)
        book.append(sheet, [_("Totalt"), *[""] * (len(header) - 2), summary["total"] or 0])
    response = HttpResponse(book.to_bytes(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="examinatorstimmar-{cycle.year}.xlsx"'
    return response
