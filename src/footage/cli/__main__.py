"""``python -m footage.cli``: the ``footage`` command."""

import sys

from footage.cli import main

sys.exit(main())
