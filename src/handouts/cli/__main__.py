"""``python -m handouts.cli``: the command line."""

import sys

from handouts.cli import main

if __name__ == "__main__":
    sys.exit(main())
