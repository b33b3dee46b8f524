"""``plan_passed(sender=GreenPlan, plan, version, review_round, actor)``: sent after the commit of a
conclusion ``passed``, or of the verification (复核) that accepts the revision a
``passed_with_revisions`` asked for (``version`` is then the revised one); the lifecycle app locks
the baseline from ``version``. A ``passed_with_revisions`` alone sends nothing."""

from django.dispatch import Signal

plan_passed = Signal()
