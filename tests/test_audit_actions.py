"""Audit actions are named constants (issue 13): each app declares the actions it records in
its `audit_actions.py` (a TextChoices with the Swedish name the logs show) and registers it
with award.audit, and no code records an action by a bare string."""

import ast
import html
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_module

from award import audit
from submissions.audit_actions import AuditAction as SubmissionAction
from tests.support import factories

APPS = ["award", "submissions", "examiners", "scoring", "judging", "evaluation"]


def _record_calls_with_a_string_action():
    found = []
    for app in [*APPS, "demo", "bench"]:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if not isinstance(node, ast.Call):
                    continue
                name = (
                    node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                )
                if name not in {"record", "AuditEntry"}:
                    continue
                for keyword in node.keywords:
                    if keyword.arg == "action" and isinstance(keyword.value, (ast.Constant, ast.JoinedStr)):
                        found.append(f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}")
    return found


def test_no_action_is_recorded_by_a_bare_string():
    assert _record_calls_with_a_string_action() == []


def test_each_app_declares_its_actions_with_swedish_names_and_registers_them():
    seen = {}
    for app in APPS:
        assert apps.is_installed(app)
        actions = import_module(f"{app}.audit_actions").AuditAction
        assert len(actions) > 0
        for action in actions:
            assert action.value not in seen, f"{action.value} is declared by {seen[action.value]} and {app}"
            seen[action.value] = app
            # Registered (the log shows the Swedish name, not the action's own name).
            assert audit.action_label(action.value) == str(action.label) != action.value


@pytest.mark.django_db
def test_an_application_history_shows_each_event_by_its_swedish_name(client, slk):
    cycle = factories.complete_cycle(open=True)
    application = factories.submitted_application(cycle.tracks.get(kind="quality_award"))
    audit.record(actor=slk, action=SubmissionAction.APPLICATION_EXTEND, target=application, reason="Sjukdom")
    client.force_login(slk)

    response = client.get(reverse("submissions:application_detail", args=[application.pk]))

    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    assert "Bidragets sista dag förlängdes: Sjukdom" in content
    assert "application.extend" not in content
