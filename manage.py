#!/usr/bin/env python
"""Django's command-line utility; ``greenbuild`` (the installed console command) does the same."""

import sys

from greenbuild.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
