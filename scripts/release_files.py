"""Name the files in dist/ that a release tag publishes (used by .github/workflows/publish.yml).

A tag is ``<distribution>-v<version>``, for example ``janus-textroom-v0.2.0`` or
``janus-webrtc-v0.1.0``. The distribution must be one of packages/, its pyproject must carry
that version, and dist/ (made by ``nox -s build``) must hold its sdist and wheel; their paths
are printed one a line::

    python scripts/release_files.py janus-textroom-v0.2.0 dist packages
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

TAG = re.compile(r"^(?P<name>[a-z0-9][a-z0-9-]*[a-z0-9])-v(?P<version>[0-9][0-9A-Za-z.+-]*)$")


def release_files(tag: str, dist: Path, packages: Path) -> list[Path]:
    """Return the sdist and wheel that ``tag`` publishes.

    Raises:
        ValueError: The tag is malformed, names no package, or disagrees with its version.
    """
    match = TAG.match(tag)
    if match is None:
        raise ValueError(f"tag {tag!r} is not <distribution>-v<version>")
    name, version = match["name"], match["version"]
    for pyproject in sorted(packages.glob("*/pyproject.toml")):
        project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
        if project["name"] != name:
            continue
        if project["version"] != version:
            raise ValueError(f"tag {tag!r} but {pyproject} has version {project['version']}")
        stem = f"{name.replace('-', '_')}-{version}"
        files = [dist / f"{stem}.tar.gz", dist / f"{stem}-py3-none-any.whl"]
        missing = [f.name for f in files if not f.is_file()]
        if missing:
            raise ValueError(f"dist/ lacks {', '.join(missing)}: run `nox -s build`")
        return files
    raise ValueError(f"tag {tag!r} names no distribution under {packages}/")


def main() -> int:
    """Print the files of the tag given on the command line; exit 1 with a reason if none."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tag")
    parser.add_argument("dist", type=Path)
    parser.add_argument("packages", type=Path)
    args = parser.parse_args()
    try:
        files = release_files(args.tag, args.dist, args.packages)
    except ValueError as exc:
        print(f"release_files: {exc}", file=sys.stderr)
        return 1
    print("\n".join(str(f) for f in files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
