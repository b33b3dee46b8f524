"""Supervision and evaluation (issue 20): inspections, random draws (双随机), rectification,
bulletins and the completion evaluation. ``draw`` is pure Python (no Django) so that anyone can
reproduce a published draw with ``greenbuild supervision draw``."""
