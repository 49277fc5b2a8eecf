"""The admin speaks Swedish: SLK's staff read every model's and every field's name there
(the sidebar, the lists, the forms, the filters). A model without a Meta verbose_name, or a
field without a verbose_name, gets Django's default, derived in English from the class or
field name ("Application openings", "Created at"). This test fails on any such name in the
project's own apps, also of the models the admin does not list today, since a model or a
list column added to it later would show the English name. It reads the models only: no
database."""

import re

import pytest
from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps

APPS = ["award", "submissions", "examiners", "scoring", "judging", "evaluation", "accounts", "demo"]
# A name given explicitly that happens to equal the field's name, because the word is the
# same in Swedish.
SAME_IN_SWEDISH = {"status"}


def _default_model_name(opts) -> str:
    return re.sub(r"(?<=.)([A-Z])", r" \1", opts.object_name).lower()


def _model_offences(model) -> list[str]:
    opts = model._meta
    offences = []
    for attr in ("verbose_name", "verbose_name_plural"):
        if attr not in opts.original_attrs:
            offences.append(f"{opts.label}: no Meta.{attr} ({getattr(opts, attr)!r})")
    if str(opts.verbose_name) == _default_model_name(opts):
        offences.append(f"{opts.label}: Meta.verbose_name is the class name ({opts.verbose_name!r})")
    return offences


def _field_offences(model) -> list[str]:
    opts = model._meta
    offences = []
    for field in [*opts.fields, *opts.many_to_many]:
        if field.auto_created:
            continue
        name = str(field.verbose_name)
        # _verbose_name is what the field was given (None: Django derived it from the name).
        if field._verbose_name is None:
            offences.append(f"{opts.label}.{field.name}: no verbose_name ({name!r})")
        elif name == field.name.replace("_", " ") and name not in SAME_IN_SWEDISH:
            offences.append(f"{opts.label}.{field.name}: verbose_name is the field name ({name!r})")
    return offences


@pytest.mark.parametrize("label", APPS)
def test_every_model_and_field_of_the_app_has_a_swedish_name(label):
    offences = []
    for model in apps.get_app_config(label).get_models():
        offences += _model_offences(model) + _field_offences(model)
    assert not offences, "\n".join(offences)


def test_the_check_sees_the_default_names():
    """The check itself: a model and a field left without a name are found."""
    with isolate_apps("award"):

        class Unnamed(models.Model):
            created_at = models.DateTimeField()

            class Meta:
                app_label = "award"

            def __str__(self):
                return ""

    assert _model_offences(Unnamed) == [
        "award.Unnamed: no Meta.verbose_name ('unnamed')",
        "award.Unnamed: no Meta.verbose_name_plural ('unnameds')",
        "award.Unnamed: Meta.verbose_name is the class name ('unnamed')",
    ]
    assert _field_offences(Unnamed) == ["award.Unnamed.created_at: no verbose_name ('created at')"]
