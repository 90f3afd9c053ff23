"""``python -m janus_webrtc.template NAME [DEST]``: the same as ``janusctl new-plugin``."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ..cli import main as janusctl


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``janusctl new-plugin`` with ``argv`` (default: the command line); return its status."""
    return janusctl(["new-plugin", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
