"""The one way the tests run ``footage``: :func:`footage` calls ``footage.cli.main`` in this process
and captures what it prints; :func:`footage_process` starts the command as its own process, for
the tests whose point is the process (exit on a signal, a crash, a server to talk to)."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from footage.cli import main

#: what the installed console script runs (``footage = "footage.cli:main"``)
_ENTRY = "import sys; from footage.cli import main; sys.exit(main())"


@dataclass(frozen=True)
class Ran:
    """What a run printed and returned, shaped as :class:`subprocess.CompletedProcess`."""

    returncode: int
    stdout: str
    stderr: str


@contextmanager
def _environment(changes: Mapping[str, str | None]) -> Iterator[None]:
    """``os.environ`` with ``changes`` (None removes a name) for the block, then as it was."""
    before = {name: os.environ.get(name) for name in changes}
    try:
        for name, value in changes.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def _own_logging() -> Iterator[None]:
    """A root logger without handlers, so that ``main``'s ``logging.basicConfig`` writes to the
    captured stderr as it writes to a process's; pytest's handlers and level come back after."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    root.handlers = []
    try:
        yield
    finally:
        root.handlers = handlers
        root.setLevel(level)


def footage(*args: str | Path, env: Mapping[str, str | None] | None = None) -> Ran:
    """``footage ARGS`` in this process: its exit status, stdout and stderr (``env`` changes the
    environment for the run, None removing a name)."""
    out, err = io.StringIO(), io.StringIO()
    with _environment(env or {}), _own_logging(), redirect_stdout(out), redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse: a usage error (2) or --help (0)
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return Ran(code, out.getvalue(), err.getvalue())


def footage_command(*args: str | Path) -> list[str]:
    """The command line that runs ``footage ARGS`` as the console script does."""
    return [sys.executable, "-c", _ENTRY, *map(str, args)]


def footage_process(*args: str | Path, **popen: Any) -> subprocess.Popen[Any]:
    """``footage ARGS`` started as its own process (``popen``: :class:`subprocess.Popen` options)."""
    return subprocess.Popen(footage_command(*args), **popen)
