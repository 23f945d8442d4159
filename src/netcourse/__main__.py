import sys

from netcourse.cli import main

sys.exit(main())
