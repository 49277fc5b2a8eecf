"""The headers of an attachment download: only a PDF may be shown in the browser; every
other type is a download (Content-Disposition: attachment). Every download has its own
content type and X-Content-Type-Options: nosniff, so a browser never guesses a type from
the content (an uploaded file cannot become HTML or script on our origin)."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse
from PIL import Image

from submissions import services
from submissions.models import Attachment
from tests.support.applications import docx_bytes, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, format="JPEG")
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["Mått", "Värde"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _add(application, by, name, content):
    return services.attachment_add(
        application=application, uploaded_file=upload(name, content), description="", by=by
    )


def _download(client, attachment):
    return client.get(
        reverse("submissions:attachment_download", args=[attachment.application_id, attachment.pk])
    )


# name, content, kind, content type, disposition
FILES = [
    ("Verksamhetsplan.pdf", pdf_bytes, Attachment.Kind.PDF, "application/pdf", "inline"),
    ("Rutiner.docx", docx_bytes, Attachment.Kind.DOCX, "application/octet-stream", "attachment"),
    ("Resultat.xlsx", xlsx_bytes, Attachment.Kind.XLSX, "application/octet-stream", "attachment"),
    ("Organisation.png", png_bytes, Attachment.Kind.PNG, "image/png", "attachment"),
    ("Foto.jpg", jpeg_bytes, Attachment.Kind.JPEG, "image/jpeg", "attachment"),
]


@pytest.mark.parametrize(
    ("name", "make", "kind", "content_type", "disposition"), FILES, ids=[f[0] for f in FILES]
)
def test_each_type_has_its_disposition_content_type_and_nosniff(
    client, application, unit_contact, media_root, name, make, kind, content_type, disposition
):
    # Made once: a second XLSX (a zip) made a second later has other timestamps inside.
    content = make()
    attachment = _add(application, unit_contact, name, content)
    assert attachment.kind == kind
    client.force_login(unit_contact)

    response = _download(client, attachment)

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].split(";")[0] == disposition
    assert f'filename="{name}"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == content


def test_only_a_pdf_is_shown_inline():
    inline = [kind for _n, _m, kind, _t, disposition in FILES if disposition == "inline"]
    assert inline == [Attachment.Kind.PDF]
    assert {kind for _n, _m, kind, _t, _d in FILES} == set(Attachment.Kind.values)


def test_a_file_name_cannot_break_the_header(client, application, unit_contact, media_root):
    attachment = _add(application, unit_contact, "Plan.docx", docx_bytes())
    Attachment.objects.filter(pk=attachment.pk).update(original_name='a"; filename=evil.html\r\nX: y.docx')
    client.force_login(unit_contact)

    response = _download(client, attachment)

    header = response["Content-Disposition"]
    assert response.status_code == 200
    assert header.startswith("attachment;")
    assert "\r" not in header and "\n" not in header
    # One file name parameter only, with the quote, semicolon and line break encoded.
    assert len(re.findall(r";\s*filename\*?=", header)) == 1
    assert '"' not in header and ";" not in header.removeprefix("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
