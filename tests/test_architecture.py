"""The apps form a chain and imports only point down it (README, "Map of the code").

import-linter's contracts in pyproject.toml hold that (`make lint` runs them); they run here
too, so a plain pytest run catches an import against the chain, and the contracts are kept
complete: an app added to the repo but left out of them would be outside every rule."""

import subprocess
import sys
import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
IMPORTLINTER = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]


def _contract(contract_id):
    return next(c for c in IMPORTLINTER["contracts"] if c["id"] == contract_id)


def _layers():
    """The chain's layers, top first, each a set of packages ("a | b" are siblings)."""
    return [
        {name.strip() for name in layer.replace(":", "|").split("|")}
        for layer in _contract("chain")["layers"]
    ]


def _repo_apps():
    """The installed apps whose package lives in this repository (not in the venv)."""
    return [config.name for config in apps.get_app_configs() if Path(config.path).resolve().parent == ROOT]


def test_imports_keep_the_contracts():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
            "--no-logo",
            "--no-cache",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_app_of_the_repo_is_in_the_chain():
    layered = set().union(*_layers())
    assert set(_repo_apps()) - layered == set()
    assert "demo" in layered  # installed only with DEBUG, so not always among the apps above


def test_every_package_of_the_repo_is_in_the_import_graph():
    packages = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if not path.parent.name.startswith(".") and path.parent.name != "mutants"
    }
    assert packages - set(IMPORTLINTER["root_packages"]) == set()


def test_no_app_nor_config_may_import_bench_or_tests():
    contract = _contract("outside")
    assert set(_repo_apps()) | {"config", "demo"} <= set(contract["source_modules"])
    assert set(contract["forbidden_modules"]) == {"bench", "tests"}


def test_the_product_apps_are_installed_in_the_chains_order():
    """Lowest first, as the chain reads bottom up: each app's ready() may rely on the apps
    below it, and the personal-data page lists the apps' sections in this order."""
    chain = [name for layer in reversed(_layers()) for name in sorted(layer)]
    product = [name for name in settings.INSTALLED_APPS if name in chain and name not in {"config", "demo"}]
    assert product == [name for name in chain if name in product]
    assert product == ["award", "submissions", "examiners", "scoring", "judging", "accounts", "evaluation"]
