"""``plan_passed(sender=GreenPlan, plan, version, review_round, actor)``: sent after the commit of a
conclusion ``passed`` or ``passed_with_revisions`` (the lifecycle app locks the baseline from it)."""

from django.dispatch import Signal

plan_passed = Signal()
