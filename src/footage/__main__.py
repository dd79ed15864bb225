"""``python -m footage``: the ``footage`` command."""

import sys

from footage.cli import main

sys.exit(main())
