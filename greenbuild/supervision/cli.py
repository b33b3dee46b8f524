"""``greenbuild supervision draw --seed SEED --ratio R ID [ID ...] [--json]``: reproduce (or make)
a random draw of 双随机 with the published algorithm (:mod:`greenbuild.supervision.draw`).

With ``--json`` it prints ``{"seed", "ratio", "population", "k", "selected"}`` (``population`` is
the number of ids, ``selected`` in rank order; a plain decimal id is a number, any other id text).
Without ``--seed`` a fresh seed is taken from the secure random source and printed.

Exit codes: 0 drawn; 2 bad input (a ratio outside (0, 1], no ids, duplicate ids, a usage error),
with a message on standard error; 141 when the reader of standard output went away early.
Pure Python: no Django, no database, no settings.
"""

from __future__ import annotations

import argparse
import json
import sys

from greenbuild.standards.cli import write_stdout
from greenbuild.supervision.draw import DrawError, draw, new_seed, rank_key

__all__ = ["main"]

EXIT_BAD_INPUT = 2
PROG = "greenbuild supervision"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print("{}: {}".format(self.prog, message), file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Supervision tools that need no database.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sub = commands.add_parser(
        "draw",
        help="rank ids by SHA-256 of 'seed:id' and take the first ceil(N x ratio)",
        description=(
            "Reproduce a published random draw: k = ceil(N x ratio) (at least 1), each id ranked by "
            "the lowercase hex SHA-256 of the UTF-8 string 'SEED:ID', ascending; the first k are selected."
        ),
    )
    sub.add_argument("--seed", help="the draw's seed (default: a fresh one from a secure random source)")
    sub.add_argument("--ratio", required=True, help="the share to draw, greater than 0 and at most 1 (e.g. 0.2)")
    sub.add_argument("--json", action="store_true", help="print the record as JSON")
    sub.add_argument("ids", nargs="*", metavar="ID", help="the population: project or inspector ids")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command with ``argv`` (the arguments after ``supervision``); return the exit code."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:  # argparse printed its message; 0 for --help
        return exit_.code if isinstance(exit_.code, int) else EXIT_BAD_INPUT
    seed = args.seed if args.seed is not None else new_seed()
    try:
        result = draw(seed, args.ratio, args.ids)
    except DrawError as error:
        print("{} draw: {}".format(PROG, error), file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        return write_stdout(json.dumps(result.as_dict(), ensure_ascii=False) + "\n")
    lines = [
        "seed: {}".format(result.seed),
        "ratio: {}".format(args.ratio),
        "population: {}".format(len(result.population)),
        "k: {}".format(result.k),
        "selected, in rank order:",
    ]
    lines += ["  {}  {}".format(candidate, rank_key(result.seed, candidate)) for candidate in result.selected]
    return write_stdout("\n".join(lines) + "\n")
