"""``python -m handouts``: the same commands as ``handouts``."""

import sys

from handouts.cli import main

sys.exit(main())
