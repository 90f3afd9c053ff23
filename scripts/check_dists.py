"""Check the sdists and wheels that ``nox -s build`` put in dist/.

For every package under packages/: exactly one sdist and one wheel of its current version;
the wheel holds its import package (with ``py.typed``) and its dist-info only, and the
LICENSE (``License-File`` in its metadata); the sdist holds LICENSE, README.md and
pyproject.toml; the package folder's LICENSE (hatchling packs only files inside the folder)
is the repository's LICENSE. ``twine check --strict`` runs before this, in the same session::

    python scripts/check_dists.py dist packages
"""

from __future__ import annotations

import argparse
import sys
import tarfile
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path


def _project(pyproject: Path) -> tuple[str, str, str]:
    """Return (distribution name as in file names, version, import package) of a package."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    project = data["project"]
    wheel = data["tool"]["hatch"]["build"]["targets"]["wheel"]
    import_name = Path(wheel["packages"][0]).name
    return str(project["name"]).replace("-", "_").lower(), str(project["version"]), import_name


def check_wheel(path: Path, stem: str, import_name: str) -> list[str]:
    """Return the problems of one wheel."""
    problems = []
    dist_info = f"{stem}.dist-info"
    with zipfile.ZipFile(path) as wheel:
        names = wheel.namelist()
        tops = {name.split("/", 1)[0] for name in names}
        if tops != {import_name, dist_info}:
            problems.append(f"holds {sorted(tops - {dist_info})}, not only {import_name!r}")
        if f"{import_name}/py.typed" not in names:
            problems.append("has no py.typed")
        if f"{dist_info}/licenses/LICENSE" not in names:
            problems.append("has no LICENSE")
        metadata = Parser().parsestr(wheel.read(f"{dist_info}/METADATA").decode())
        if "LICENSE" not in (metadata.get_all("License-File") or []):
            problems.append("metadata names no License-File: LICENSE")
    return problems


def check_sdist(path: Path, stem: str) -> list[str]:
    """Return the problems of one sdist."""
    with tarfile.open(path) as sdist:
        names = set(sdist.getnames())
    wanted = ("LICENSE", "README.md", "pyproject.toml", "PKG-INFO")
    return [f"has no {name}" for name in wanted if f"{stem}/{name}" not in names]


def main() -> int:
    """Check every package's distributions; print one line each; exit 1 on any problem."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dist", type=Path)
    parser.add_argument("packages", type=Path)
    args = parser.parse_args()
    failed = False
    expected = set()
    for pyproject in sorted(args.packages.glob("*/pyproject.toml")):
        name, version, import_name = _project(pyproject)
        stem = f"{name}-{version}"
        wheel = args.dist / f"{stem}-py3-none-any.whl"
        sdist = args.dist / f"{stem}.tar.gz"
        expected |= {wheel.name, sdist.name}
        problems = []
        root_license = args.packages.parent / "LICENSE"
        if (pyproject.parent / "LICENSE").read_bytes() != root_license.read_bytes():
            problems.append("its LICENSE differs from the repository's (copy it again)")
        for path, check in ((wheel, check_wheel), (sdist, check_sdist)):
            if not path.is_file():
                problems.append(f"{path.name} is missing")
            elif check is check_wheel:
                problems += [f"{path.name} {p}" for p in check_wheel(path, stem, import_name)]
            else:
                problems += [f"{path.name} {p}" for p in check_sdist(path, stem)]
        status = "; ".join(problems) or "ok (wheel: py.typed, LICENSE, only its package)"
        print(f"{pyproject.parent.name}: {status}")
        failed = failed or bool(problems)
    strays = sorted(p.name for p in args.dist.iterdir() if p.name not in expected)
    if strays:
        print(f"dist/ holds files of no package: {', '.join(strays)}")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
