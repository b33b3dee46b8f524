"""``completion_accepted(sender=CompletionEvaluation, evaluation, actor)``: sent after the commit of
the bureau's acceptance of a completion evaluation (incentives listen for it)."""

from django.dispatch import Signal

completion_accepted = Signal()
