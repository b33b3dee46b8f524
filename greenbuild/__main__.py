"""The ``greenbuild`` console command.

``greenbuild score ENGINE FILE [--json]`` runs a standards engine without Django, and
``greenbuild supervision draw …`` reproduces a random draw without Django; every other
sub-command is a Django management command (``greenbuild migrate``, ``greenbuild seed_demo`` …).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] == "score":
        from greenbuild.standards.cli import main as score_main

        return score_main(args[2:])
    if len(args) > 1 and args[1] == "supervision":  # the published draw, reproducible without a database
        from greenbuild.supervision.cli import main as supervision_main

        return supervision_main(args[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenbuild.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
