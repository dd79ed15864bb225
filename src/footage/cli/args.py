"""What the command modules share: how a module adds its sub-commands, the index ``--db`` names,
and a time typed by a person, read as a usage error when it cannot be read."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path

from footage.errors import FootageError
from footage.ingest.clock import parse_user_time
from footage.store.database import default_db_path

__all__ = ["AddCommand", "db_path", "user_time"]

#: ``add(name, help)``: a new sub-command, with the ``--db`` option every command has; each
#: command module's ``register(add)`` adds its own and binds them with ``set_defaults(run=...)``
AddCommand = Callable[[str, str], argparse.ArgumentParser]


def db_path(args: argparse.Namespace) -> Path:
    """The index the command works on: ``--db``, else the default one."""
    return Path(args.db) if args.db else default_db_path()


def user_time(text: str | None, zone: tzinfo) -> datetime | None:
    """An ISO time from the command line (None when not given or empty), read in ``zone`` when it
    names none; one that cannot be read is a :class:`FootageError` (exit status 2)."""
    if not text:
        return None
    try:
        return parse_user_time(text, zone)
    except ValueError as exc:
        raise FootageError(str(exc)) from exc
