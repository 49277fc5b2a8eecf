"""Test modules share helpers through tests/support, never by importing one another.

A helper that lives in a test module and is imported from another drags the first module's
tests and fixtures into the second's namespace, runs its module-level code twice under two
names, and hides where the helper is; conftest.py files provide fixtures and are never
imported. So a module under tests/ imports from the tests package only tests.support (and
the access walk's declarations, tests/access/declarations.py, which are data, not
helpers)."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ALLOWED = ("tests.support", "tests.access.declarations")


def _allowed(module: str) -> bool:
    return any(module == a or module.startswith(a + ".") for a in ALLOWED)


def _package(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1])


def _offences(path: Path, root: Path) -> list[str]:
    """One line per import statement of `path` that reaches into tests/ outside ALLOWED."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    offences = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = _package(path, root).split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from tests import x` and `from . import x` name modules; `from tests.a import b` names a.
            modules = (
                [f"{base}.{a.name}" for a in node.names] if base == "tests" or not node.module else [base]
            )
        else:
            continue
        for module in modules:
            if module.startswith("tests.") and not _allowed(module):
                offences.append(f"{path.relative_to(root)}:{node.lineno} imports {module}")
    return offences


def test_no_module_under_tests_imports_a_test_module_or_a_conftest():
    root = TESTS.parent
    offences = [o for path in sorted(TESTS.rglob("*.py")) for o in _offences(path, root)]
    assert not offences, "Move what these import into tests/support and import it from there:\n" + "\n".join(
        offences
    )


def test_the_check_catches_absolute_relative_and_conftest_imports(tmp_path):
    package = tmp_path / "tests" / "scoring"
    package.mkdir(parents=True)
    module = package / "test_new.py"
    module.write_text(
        "import pytest\n"
        "from tests.support import factories\n"
        "from tests.support.teams import fill\n"
        "from tests.access.declarations import ROUTES\n"
        "from tests.scoring.test_rules_pinned import helper\n"
        "from .test_feedback_views import finalise\n"
        "from . import conftest\n"
        "from ..award import test_backup\n"
        "import tests.award.test_backup\n"
        "from tests import urlwalk\n"
    )
    assert [o.split(" imports ")[1] for o in _offences(module, tmp_path)] == [
        "tests.scoring.test_rules_pinned",
        "tests.scoring.test_feedback_views",
        "tests.scoring.conftest",
        "tests.award",
        "tests.award.test_backup",
        "tests.urlwalk",
    ]
