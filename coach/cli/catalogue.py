"""`coach catalog`: check, import and export principles catalogue files."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from coach.catalog.files import CatalogFileError, dump_catalog, iter_problems, load_catalog_file
from coach.cli.common import load_deps, workspace_option
from coach.services.scheduled_nudges import withdraw_workspace
from coach.store.catalog import CatalogConflict, load_catalog, replace_catalog


@click.group()
def catalog() -> None:
    """Check, import and export principles catalogue files."""


@catalog.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def catalog_validate(files: tuple[Path, ...]) -> None:
    """Check catalogue FILES; print FILE:LINE: FIELD: message for each problem."""
    problems = list(iter_problems(files))
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s) found; nothing was imported.", err=True)
        sys.exit(1)
    click.echo(f"{len(files)} catalogue file(s) valid.", err=True)


@catalog.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@workspace_option
def catalog_import(file: Path, workspace_id: str) -> None:
    """Make the workspace's catalogue equal to FILE, all or nothing."""
    try:
        spec = load_catalog_file(file)
    except CatalogFileError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo("Nothing was imported.", err=True)
        sys.exit(1)
    deps = load_deps()
    try:
        with deps.unit_of_work() as session:
            diff = replace_catalog(
                session, workspace_id=workspace_id, catalog=spec, actor="cli", now=deps.clock.now()
            )
            if diff.changed:  # nudges planned with the old wording are planned again
                withdraw_workspace(session, workspace_id=workspace_id, now=deps.clock.now())
    except CatalogConflict as error:
        raise click.ClickException(f"{error}; nothing was imported, run the import again") from None
    if not diff.changed:
        click.echo(f"{workspace_id}: catalogue already matches {file} (version {diff.version}).")
        return
    parts = [
        f"{len(keys)} {label}"
        for label, keys in (
            ("created", diff.created),
            ("updated", diff.updated),
            ("archived", diff.archived),
            ("restored", diff.restored),
        )
        if keys
    ]
    summary = ", ".join(parts) or "headings updated"
    click.echo(
        f"{workspace_id}: catalogue imported from {file} as version {diff.version}: {summary}."
    )


@catalog.command("export")
@workspace_option
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="File to write (default: stdout).",
)
def catalog_export(workspace_id: str, output: Path | None) -> None:
    """Write the workspace's catalogue as YAML."""
    deps = load_deps()
    with deps.unit_of_work() as session:
        spec = load_catalog(session, workspace_id=workspace_id)
    if spec is None:
        raise click.ClickException(
            f"workspace {workspace_id} has no catalogue yet; import one with `coach catalog import FILE --workspace {workspace_id}`"
        )
    text = dump_catalog(spec)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}.", err=True)
