"""``greenbuild backup [--output PATH]``: one consistent archive of the database and stored files,
written 0600 into a 0700 folder, its manifest signed (HMAC-SHA256, ``BACKUP_SIGNING_KEY``)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from greenbuild.audit.backup import BackupError, folder_is_private, write_backup


class Command(BaseCommand):
    help = "Write one archive: the database (SQLite online backup or pg_dump), every stored file, a manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, help="Archive to write (default: var/backups/greenbuild-<time>.tar.gz)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path, manifest = write_backup(options["output"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            "Wrote {} ({} database, {} rows, {} files; readable by its owner only, manifest signed).".format(
                path, manifest["vendor"], sum(manifest["rows"].values()), len(manifest["files"])
            )
        )
        if not folder_is_private(path.parent):
            self.stderr.write(
                "Warning: others may list {} (the archive itself is 0600). Keep backups in a 0700 folder.".format(
                    path.parent
                )
            )
