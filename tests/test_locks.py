"""The locks (requirements/runtime.txt for a deployment, requirements/dev.txt for `make
install`; `make lock` writes both from pyproject.toml) pin every dependency pyproject.toml
names, within its range, and name nothing of the machine they were made on."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
RUNTIME, DEV = ROOT / "requirements" / "runtime.txt", ROOT / "requirements" / "dev.txt"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)$")


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = PIN.match(line.strip())
        assert match, f"{path.name}: not a pin: {line!r}"
        pins[canonicalize_name(match[1])] = match[2]
    return pins


def _requirements(*extras: str) -> list[Requirement]:
    listed = PROJECT["dependencies"] + [
        r for extra in extras for r in PROJECT["optional-dependencies"][extra]
    ]
    return [Requirement(r) for r in listed]


@pytest.mark.parametrize(("lock", "extras"), [(RUNTIME, ()), (DEV, ("dev",))], ids=["runtime", "dev"])
def test_every_dependency_is_pinned_within_its_range(lock, extras):
    pins = _pins(lock)
    wrong = []
    for requirement in _requirements(*extras):
        version = pins.get(canonicalize_name(requirement.name))
        if version is None:
            wrong.append(f"{requirement.name} is not in {lock.name}")
        elif not requirement.specifier.contains(version, prereleases=True):
            wrong.append(f"{requirement.name}=={version} is outside {requirement.specifier}")
    assert not wrong, "Run `make lock` after changing pyproject.toml:\n" + "\n".join(wrong)


def test_the_dev_lock_installs_the_runtime_locks_versions():
    runtime, dev = _pins(RUNTIME), _pins(DEV)
    assert {name: dev.get(name) for name in runtime} == runtime


def test_mutation_testing_stays_out_of_the_dev_lock():
    assert "mutmut" not in _pins(DEV)


@pytest.mark.parametrize("lock", [RUNTIME, DEV], ids=["runtime", "dev"])
def test_the_locks_name_no_local_path_or_index(lock):
    text = lock.read_text(encoding="utf-8")
    for marker in ("file:", "/opt/", "/tmp/", "--find-links", "--index-url", "--extra-index-url", " @ "):
        assert marker not in text, f"{lock.name} names {marker!r}: regenerate it with `make lock`"
