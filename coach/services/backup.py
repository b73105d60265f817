"""`coach backup`: a copy of the database that can be restored by putting it in place."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from coach.deps import Deps
from coach.store.backup import copy_sqlite, database_file, is_sqlite


class BackupRefused(Exception):
    """No copy was written; the message says why and what to do."""


def back_up(core: Deps, *, output: Path, force: bool) -> int:
    """Copy the SQLite database to `output`, which must not exist unless `force`; returns its
    size in bytes. The copy is written beside `output` and moved into place when complete, so
    `output` is never half a database."""
    if not is_sqlite(core.engine):
        raise BackupRefused(
            "backup copies SQLite databases; for PostgreSQL use pg_dump (see the README)"
        )
    source = database_file(core.engine)
    if source is None or not source.is_file():
        raise BackupRefused(f"there is no database file {source} to back up; check DATABASE_URL")
    if output.exists() and not force:
        raise BackupRefused(f"{output} exists; choose another file or add --force to replace it")
    if not output.parent.is_dir():
        raise BackupRefused(f"{output.parent} is not a directory; create it first")
    handle, name = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    os.close(handle)
    partial = Path(name)
    try:
        partial.unlink()  # sqlite3 creates it afresh
        copy_sqlite(core.engine, partial)
        if force:
            partial.replace(output)
        else:
            try:
                os.link(partial, output)  # fails, unlike a rename, when output appeared meanwhile
            except FileExistsError:
                raise BackupRefused(
                    f"{output} exists; choose another file or add --force to replace it"
                ) from None
        return output.stat().st_size
    finally:
        partial.unlink(missing_ok=True)
