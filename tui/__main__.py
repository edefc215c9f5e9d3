"""``python -m tui`` runs the tensordojo command."""

import sys

from tui.cli import main

sys.exit(main())
