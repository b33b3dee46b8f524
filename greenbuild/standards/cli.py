"""``greenbuild score ENGINE FILE [--json]``: run a standards engine on a JSON input file.

ENGINE is one of ``gbt50378``, ``gbt51129``, ``waste``, ``green-materials``, ``carbon``; FILE is a
JSON object in the engine's input contract (see each engine module's docstring), or ``-`` for
standard input. Prints a readable table, or the result as JSON with ``--json``.

Exit codes: 0 scored; 2 bad input (usage, unreadable file, malformed JSON, or a field or clause
the engine refuses, named on standard error); 141 (128 + SIGPIPE, as a shell reports a process
killed by SIGPIPE) when the reader of standard output went away early, e.g. ``| head``, with no
traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from decimal import Decimal
from typing import Any

from . import registry
from .types import StandardsInputError

__all__ = ["main", "write_stdout"]  # write_stdout: shared by the other pure commands

EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_BROKEN_PIPE = 128 + 13  # 128 + SIGPIPE, what a shell reports for `... | head`
PROG = "greenbuild score"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Score a building or project with a standards engine (pure Python, no database).",
    )
    parser.add_argument("engine", choices=list(registry.ENGINE_MODULES), help="the engine to run")
    parser.add_argument("file", help="JSON input file, or - for standard input")
    parser.add_argument("--json", action="store_true", help="print the result as JSON instead of a table")
    return parser


def _fail(message: str) -> int:
    print("{}: {}".format(PROG, message), file=sys.stderr)
    return EXIT_BAD_INPUT


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    with open(path, encoding="utf-8-sig") as handle:
        return handle.read()


def write_stdout(text: str) -> int:
    """Write the output; a reader that closed the pipe early is not an error worth a traceback.

    The Python documentation's recipe (signal module, "Note on SIGPIPE"): flush inside the try so
    the error surfaces here, then point standard output at devnull so the interpreter's own flush
    at exit does not raise again.
    """
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):  # no real file descriptor behind sys.stdout (e.g. captured)
            pass
        return EXIT_BROKEN_PIPE
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Run the command with ``argv`` (the arguments after ``score``); return the exit code."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:  # argparse prints its own message; keep the code (0 for --help)
        return exit_.code if isinstance(exit_.code, int) else EXIT_BAD_INPUT
    source = "standard input" if args.file == "-" else args.file
    try:
        text = _read(args.file)
    except (OSError, UnicodeDecodeError) as error:
        return _fail("cannot read {}: {}".format(source, getattr(error, "strerror", None) or error))
    try:
        data: Any = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        return _fail(
            "{} is not valid JSON: {} (line {}, column {})".format(source, error.msg, error.lineno, error.colno)
        )
    if not isinstance(data, dict):
        return _fail("{} must hold a JSON object, not {}".format(source, type(data).__name__))
    try:
        engine = registry.get_engine(args.engine)
        result = engine.evaluate(engine.parse_inputs(data))
    except StandardsInputError as error:
        return _fail("{}: bad input: {}".format(args.engine, error))
    if args.json:
        return write_stdout(json.dumps(engine.result_to_dict(result), ensure_ascii=False, indent=2) + "\n")
    table = engine.render_table(result)
    return write_stdout(table if table.endswith("\n") else table + "\n")
