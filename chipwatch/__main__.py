import sys

from chipwatch.cli import main

sys.exit(main())
