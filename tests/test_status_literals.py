"""A status (or outcome, or kind) is compared in one place: its model's module, which names
it once as a TextChoices member and offers what the other modules ask (a queryset method
such as `Decision.objects.signed()`, a property such as `Application.is_withdrawn`). This
test reads every module and template outside the models and fails on a comparison with
the bare string, which would silently stop matching if the model renamed its value."""

import re
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
APPS = ["award", "submissions", "examiners", "scoring", "judging", "evaluation", "demo", "config"]
FIELDS = ("status", "outcome", "kind", "registration_status")


def _pattern() -> re.Pattern:
    """A lookup or keyword (status="final", decision__status="signed", status__in=["draft"])
    or an attribute's comparison (team.status != "confirmed") with a stored value of one of
    the project's choice fields above."""
    values = set()
    for model in apps.get_models():
        if model._meta.app_label in APPS:
            for field in model._meta.get_fields():
                if getattr(field, "name", "") in FIELDS and getattr(field, "choices", None):
                    values |= {str(value) for value, _label in field.flatchoices}
    value = "|".join(sorted(map(re.escape, values), key=len, reverse=True))
    field = "|".join(FIELDS)
    quoted = rf"[\[(]?\s*[\"']({value})[\"']"
    return re.compile(
        rf"\b(?:\w+__)?(?:{field})(?:__in)?\s*=\s*{quoted}|\.(?:{field})\s*(?:==|!=)\s*{quoted}"
    )


def _sources():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts and path.name != "models.py":
                yield path
    yield from (ROOT / "templates").rglob("*.html")


def test_no_module_compares_a_status_with_its_bare_value():
    pattern = _pattern()
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _sources()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert found == []


@pytest.mark.parametrize(
    ("line", "caught"),
    [
        ('Consensus.objects.filter(consensus__status="final")', True),
        ("if team.status != 'confirmed':", True),
        ('{% if application.status == "withdrawn" %}', True),
        ('.filter(status__in=["draft", "submitted"])', True),
        ('meeting_record(kind="shortlisting")', True),
        ("status=Consensus.Status.FINAL", False),
        ('"status": [old, Application.Status.WITHDRAWN]', False),
        ('elif chart == "calibration":', False),
    ],
)
def test_the_check_catches_the_forms_it_looks_for(line, caught):
    assert bool(_pattern().search(line)) == caught
