"""Every app that holds personal data answers for it on SLK's personal-data page: award
cannot import the apps above it, so each registers a provider (award.personal.providers)
from its ready(), and a model that no provider answers for would be missing from the
export and the anonymisation."""

from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from award.personal import data as personal_data
from award.personal import providers

ROOT = Path(__file__).resolve().parent.parent.parent


def _refers_to_a_person(model) -> bool:
    user_model = get_user_model()
    return any(
        field.is_relation and field.concrete and field.related_model is user_model
        for field in model._meta.get_fields()
    )


def _repo_models():
    for config in apps.get_app_configs():
        if Path(config.path).resolve().parent == ROOT:
            yield from config.get_models()


def test_every_model_that_refers_to_a_person_is_answered_for():
    answered = personal_data.answered_models()
    missing = [m._meta.label for m in _repo_models() if _refers_to_a_person(m) and m not in answered]
    assert missing == []


def test_every_app_above_award_that_holds_personal_data_registered_a_provider():
    holding = {m._meta.app_label for m in _repo_models() if _refers_to_a_person(m)} - {"award"}
    assert holding <= {p.label for p in providers.registered()}
    assert [p.label for p in providers.registered()] == [
        "submissions",
        "examiners",
        "scoring",
        "judging",
        "accounts",
        "evaluation",
    ]


@pytest.mark.django_db
def test_no_two_sections_share_a_key(slk):
    keys = [section.key for section in personal_data.sections(slk)]
    assert len(keys) == len(set(keys))
    assert "exported_at" not in keys
