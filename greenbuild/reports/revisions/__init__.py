"""Job-generated frozen revisions, shared by every app whose document is generated from live data,
frozen, approved and then published (bulletins, programme summaries; docs/jobs-reports-imports.md).

The parts follow an app's skeleton: :mod:`.models` (the abstract revision and the parent's
mixin), :mod:`.services` (start a revision's job, build it inside the job, refuse a stale
revision), :mod:`.workflow` (guards and effects for the parent's state machine) and
:mod:`.views` (the progress, the files). The template ``reports/_revision.html`` shows the
revision of record and ``reports/_revisions.html`` the table of revisions.
"""
