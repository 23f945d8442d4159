"""``python -m netcourse.cli.check_main``: ``netcourse check`` without the console script (tests, CI)."""

import sys

from netcourse.cli import main

sys.exit(main(["check", *sys.argv[1:]]))
