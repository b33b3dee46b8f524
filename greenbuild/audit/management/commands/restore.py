"""``greenbuild restore PATH [--force]``: bring a backup back into an empty installation and verify it.

The signature, every member name and every checksum are checked before the database or a file is
touched; a restore that fails after that puts both back as they were."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from greenbuild.audit.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a `greenbuild backup` archive into an empty installation, then check it against its manifest. "
        "The archive's signature (BACKUP_SIGNING_KEY, else SECRET_KEY), names and checksums are checked first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="Replace the database and files of a non-empty installation."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = restore_backup(options["path"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            "Restored the backup of {}: {} rows, {} files, verified.".format(
                result.manifest["created_at"], result.rows, result.files
            )
        )
