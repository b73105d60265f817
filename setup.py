"""The one build step pyproject.toml cannot declare: compile the message catalogues.

Each prompts/locale/LANG/LC_MESSAGES/coach.po becomes coach.mo, checked by Babel first (a .po
that does not compile stops the build): inside the wheel beside the .po, and, for an editable
install (`pip install -e .`), in place in the checkout, as setuptools asks of generated files.
Everything else about the build is in pyproject.toml.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
PROMPTS = HERE / "prompts"  # shipped as the package coach.prompts


def compile_catalogue(po: Path, mo: Path) -> None:
    language = po.parent.parent.name
    with po.open("rb") as source:
        catalogue = read_po(source, locale=language)
    problems = [
        f"{po.relative_to(HERE)}: {message.id!r}: {problem}"
        for message, found in catalogue.check()
        for problem in found
    ]
    if problems:
        raise SystemExit("the catalogue does not compile:\n" + "\n".join(problems))
    mo.parent.mkdir(parents=True, exist_ok=True)
    with mo.open("wb") as target:
        write_mo(target, catalogue, use_fuzzy=False)


class BuildWithCatalogues(build_py):  # type: ignore[misc]
    def _catalogues(self) -> dict[str, str]:
        """Each .po and the .mo it compiles to."""
        out = {}
        for po in sorted(PROMPTS.glob("locale/*/LC_MESSAGES/*.po")):
            if self.editable_mode:
                mo = po.with_suffix(".mo")
            else:
                mo = Path(self.build_lib, "coach", "prompts", *po.relative_to(PROMPTS).parts)
            out[str(mo.with_suffix(".mo"))] = str(po)
        return out

    def run(self) -> None:
        super().run()
        for mo, po in self._catalogues().items():
            compile_catalogue(Path(po), Path(mo))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        return [*super().get_outputs(include_bytecode), *self._catalogues()]

    def get_output_mapping(self) -> dict[str, str]:
        return {**super().get_output_mapping(), **self._catalogues()}


setup(cmdclass={"build_py": BuildWithCatalogues})
