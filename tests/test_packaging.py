"""The wheel holds the whole bot: every package folder, every template and catalogue of prompts/
is named in pyproject.toml, so nothing works in the checkout that is missing when installed.
(.ci/run builds the wheel and plays `coach demo` from a clean virtualenv.)"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
MAPPED = {folder: package for package, folder in CONFIG["package-dir"].items()}


def _package_name(folder: Path) -> str:
    top, *rest = folder.relative_to(ROOT).parts
    return ".".join([MAPPED.get(top, top), *rest])


def test_every_python_folder_is_a_listed_package() -> None:
    folders = {
        path.parent
        for top in ("coach", "slack_standin", "coach_demo", "prompts", "principles_catalog")
        for path in (ROOT / top).rglob("*.py")
        if "__pycache__" not in path.parts
    }
    missing = {_package_name(folder) for folder in folders} - set(CONFIG["packages"])
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {sorted(missing)}"


def test_every_template_and_catalogue_of_prompts_is_shipped() -> None:
    """The wheel holds each prompts/*.j2 and each .po (setup.py compiles those to .mo there)."""
    patterns = CONFIG["package-data"]["coach.prompts"]
    files = [
        path.relative_to(ROOT / "prompts")
        for path in (ROOT / "prompts").rglob("*")
        if path.suffix in (".j2", ".po")
    ]
    assert any(path.suffix == ".po" for path in files), "prompts/ has no catalogue"
    missing = [str(path) for path in files if not any(path.match(p) for p in patterns)]
    assert not missing, f"add to [tool.setuptools.package-data] coach.prompts: {missing}"
