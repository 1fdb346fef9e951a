"""Same as `python -m assets.make`, for people who run the file directly."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from assets.make.__main__ import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
