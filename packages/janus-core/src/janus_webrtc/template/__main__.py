"""``python -m janus_webrtc.template NAME DEST``: create a plugin package (see the package)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import create_plugin_package


def main(argv: Sequence[str] | None = None) -> int:
    """Create a plugin package from the command line; return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m janus_webrtc.template",
        description="Create a janus-webrtc plugin package for one Janus plugin.",
    )
    parser.add_argument("name", help="the plugin's short name, such as 'recordplay'")
    parser.add_argument("dest", help="the folder to create the package folder in")
    parser.add_argument("--plugin-id", help="the Janus plugin id (default janus.plugin.NAME)")
    args = parser.parse_args(argv)
    try:
        folder = create_plugin_package(args.name, args.dest, plugin_id=args.plugin_id)
    except (ValueError, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
