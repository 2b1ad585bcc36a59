"""``python -m bench [--quick] [--size N]``."""

from bench.run import main

raise SystemExit(main())
