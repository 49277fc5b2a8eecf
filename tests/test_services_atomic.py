"""Every state change runs in one transaction, in production as in the tests.

pytest-django wraps each test in a transaction, so a service without `transaction.atomic`
passes every other test and is not one unit in production (and `select_for_update` crashes
there). This test reads every `services` module of the project's apps and fails for a
public function that is not wrapped by `transaction.atomic`. Reads belong in `queries`
or `rules`, not in `services`."""

import importlib
import inspect
import pkgutil

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction

#: Public service functions that are deliberately not one transaction, with the reason.
NOT_ATOMIC = {
    # It commits the refused text as a revision (in _answer_save's transaction) and only
    # then raises AnswerConflict: raising inside the transaction would roll the text back.
    "submissions.services.answer_save",
}


def _project_apps():
    base = str(settings.BASE_DIR)
    return [config for config in apps.get_app_configs() if config.path.startswith(base)]


def _services_modules():
    modules = []
    for config in _project_apps():
        package = importlib.import_module(config.name)
        names = [config.name]
        if hasattr(package, "__path__"):
            names += [m.name for m in pkgutil.walk_packages(package.__path__, f"{config.name}.")]
        modules += [importlib.import_module(n) for n in names if n.rsplit(".", 1)[-1] == "services"]
    return modules


def _is_atomic(function) -> bool:
    # transaction.atomic used as a decorator wraps the function in a closure over its Atomic.
    return any(isinstance(cell.cell_contents, transaction.Atomic) for cell in function.__closure__ or ())


def _public_functions(module):
    return [
        (f"{module.__name__}.{name}", function)
        for name, function in vars(module).items()
        if not name.startswith("_")
        and inspect.isfunction(function)
        and function.__module__ == module.__name__
    ]


SERVICES = [entry for module in _services_modules() for entry in _public_functions(module)]


def test_every_app_with_state_changes_has_its_services_found():
    found = {name.rsplit(".", 2)[0] for name, _function in SERVICES}
    assert {"award", "submissions", "examiners", "scoring"} <= found


@pytest.mark.parametrize(("name", "function"), SERVICES, ids=[name for name, _f in SERVICES])
def test_every_public_service_runs_in_one_transaction(name, function):
    if name in NOT_ATOMIC:
        assert not _is_atomic(function), f"{name} is atomic now: remove it from NOT_ATOMIC"
        return
    assert _is_atomic(function), (
        f"{name} is a public function of a services module but not @transaction.atomic: "
        "make it atomic, or move it to queries.py/rules.py if it only reads."
    )


def test_the_check_tells_atomic_from_plain():
    @transaction.atomic
    def wrapped():
        pass

    def plain():
        pass

    assert _is_atomic(wrapped) and not _is_atomic(plain)
