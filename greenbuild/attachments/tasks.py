"""The attachments app's daily entry: files chosen on a form that was never saved, and stored
files no row points to, leave storage after a day."""

from greenbuild.attachments.services import purge_orphan_files, purge_pending_attachments
from greenbuild.jobs.registry import daily


@daily("attachments.cleanup")
def cleanup() -> int:
    return purge_pending_attachments() + purge_orphan_files()
