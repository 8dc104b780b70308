"""Allow ``python -m routesim``."""

import sys

from routesim.cli import main

sys.exit(main())
