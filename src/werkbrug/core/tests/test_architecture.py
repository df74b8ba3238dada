"""The house's structure is checked, not only written down (docs/architecture.md): the areas'
layers hold (import-linter, as `make check` runs it) and no module grows past 600 lines."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[4]
PACKAGE = REPO / "src" / "werkbrug"
MAX_MODULE_LINES = 600


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter with the project's contracts on the tree under `root`."""
    return subprocess.run(  # noqa: S603 - our own venv's lint-imports, fixed arguments
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache", "--config", "pyproject.toml"],
        cwd=root,
        env={"PYTHONPATH": str(root / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("layers")
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(
        PACKAGE, root / "src" / "werkbrug", ignore=shutil.ignore_patterns("__pycache__", "locale", "static")
    )
    return root


def test_the_layers_hold_on_an_untouched_copy(tree_copy: Path) -> None:
    result = lint_imports(tree_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


@pytest.mark.parametrize(
    ("area", "higher"),
    [("core", "teams"), ("clients", "trajectories"), ("network", "referrals")],
)
def test_an_import_from_a_lower_area_to_a_higher_one_breaks_the_layers(
    tree_copy: Path, area: str, higher: str
) -> None:
    probe = tree_copy / "src" / "werkbrug" / area / "layer_probe.py"
    probe.write_text(f"from werkbrug.{higher} import models  # noqa: F401\n")
    try:
        result = lint_imports(tree_copy)
    finally:
        probe.unlink()
    assert result.returncode != 0
    assert f"werkbrug.{area}.layer_probe -> werkbrug.{higher}.models" in result.stdout


def modules() -> list[Path]:
    return [
        path
        for path in PACKAGE.rglob("*.py")
        if not {"migrations", "tests"} & set(path.relative_to(PACKAGE).parts)
    ]


def test_no_module_outside_migrations_and_tests_passes_600_lines() -> None:
    too_long = {
        str(path.relative_to(PACKAGE)): n
        for path in modules()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert too_long == {}


def test_the_size_check_sees_the_modules_it_checks() -> None:
    names = {str(path.relative_to(PACKAGE)) for path in modules()}
    assert {"settings.py", "core/policy.py", "teams/models.py"} <= names
    assert not any("/migrations/" in name or "/tests/" in name for name in names)
