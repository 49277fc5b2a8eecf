"""One way for a view to call a service (award.web.service_call, issue 13): a refusal ends
the block and is shown above the form or as messages, a stale edit always as a message
with the row saved meanwhile, success as a message; and no view module uses the retired
idioms (attempt with a lambda, try/except around a service with flash_errors/add_refusal)."""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django import forms
from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from award import web
from award.versioning import StaleEdit


@pytest.fixture
def request_():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _messages(request) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(request)]


def test_a_finished_block_shows_the_success_and_is_not_refused(request_):
    ran = []
    with web.service_call(request_, success="Sparat.") as outcome:
        ran.append("service")
        ran.append("after")

    assert ran == ["service", "after"]
    assert not outcome.refused and outcome.stale is None
    assert _messages(request_) == [("success", "Sparat.")]


def test_a_refusal_ends_the_block_and_becomes_messages(request_):
    ran = []
    with web.service_call(request_, success="Sparat.") as outcome:
        raise ValidationError(["Första skälet.", "Andra skälet."])
        ran.append("after")  # pragma: no cover

    assert ran == [] and outcome.refused
    assert _messages(request_) == [("error", "Första skälet."), ("error", "Andra skälet.")]


def test_a_refusal_goes_above_the_form_when_there_is_one(request_):
    form = forms.Form(data={})
    form.is_valid()
    with web.service_call(request_, form=form):
        raise PermissionDenied("Bara lagledaren.")

    assert form.non_field_errors() == ["Bara lagledaren."]
    assert _messages(request_) == []


def test_a_permission_refusal_without_words_says_so_in_swedish(request_):
    with web.service_call(request_):
        raise PermissionDenied

    assert _messages(request_) == [("error", "Du har inte behörighet att göra detta.")]


def test_a_stale_edit_is_a_message_and_carries_the_row_saved_meanwhile(request_):
    form = forms.Form(data={})
    form.is_valid()
    saved = SimpleNamespace(version=4)
    with web.service_call(request_, form=form) as outcome:
        raise StaleEdit(saved)

    assert outcome.stale is saved
    assert form.non_field_errors() == []
    assert [level for level, _text in _messages(request_)] == ["error"]


def test_anything_else_raised_in_the_block_is_not_a_refusal(request_):
    with pytest.raises(KeyError), web.service_call(request_):
        raise KeyError("bug")


APPS = ["award", "submissions", "examiners", "scoring", "judging", "evaluation"]
RETIRED = re.compile(
    r"\battempt\(|\bflash_errors\b|\badd_refusal\b"
    r"|\bexcept\b\s*\(?[^:\n]*\b(ValidationError|PermissionDenied|StaleEdit|AnswerConflict)\b"
)


def test_no_view_calls_a_service_the_retired_way():
    base = Path(settings.BASE_DIR)
    views = [path for app in APPS for path in sorted((base / app).rglob("views.py"))]
    offenders = [
        f"{path.relative_to(base)}:{number}: {line.strip()}"
        for path in views
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if RETIRED.search(line)
    ]
    assert len(views) >= 15  # a scan that found no views would prove nothing
    assert offenders == []
    assert (
        not hasattr(web, "attempt") and not hasattr(web, "flash_errors") and not hasattr(web, "add_refusal")
    )
