"""GreenBuild standards engines: pure Python, no Django (style.md §3).

Each engine lives in a module named after its standard edition and reads its tables from a
versioned rule file in ``data/``. See ``registry.py`` for the public entry point.
"""
