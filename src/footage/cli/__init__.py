"""The ``footage`` command. Thin: parse arguments, call the library, print. Private: scripts use
the names of :mod:`footage` instead.

One module per group of commands, each adding its sub-commands with ``register``: :mod:`.index`
(index, tracks, status), :mod:`.moments` (events, show), :mod:`.search`, :mod:`.export` (export,
share), :mod:`.serve`, :mod:`.live` (run, watch) and :mod:`.demo`; :mod:`.render` turns results
into tables and JSON.

Exit status: 0 success; 1 some files failed or were damaged (the rest was indexed); 2 bad usage
or an unusable index; 130 interrupted.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from footage.cli import demo, export, index, live, moments, search, serve
from footage.errors import FootageError
from footage.store.database import default_db_path

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="footage", description="Find the moments that matter in camera footage.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what each stage does")
    commands = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--db", type=Path, default=None, help=f"index file (default {default_db_path()})")
        return sub

    for group in (index, moments, search, export, serve, live, demo):  # the order `footage --help` lists them
        group.register(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.run(args))
    except FootageError as exc:
        print(f"footage: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("footage: interrupted; run the same command again to finish", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (footage tracks | head): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 0
