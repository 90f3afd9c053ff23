"""Sum up the pytest results of every package, in pytest's own summary format.

``nox -s tests`` runs pytest once per package and Python version, each in its own virtualenv,
and each run writes a JUnit XML report to ``.nox/_reports/<package folder>-py<version>.xml``
(``nox -s signalling``: ``<core folder>-signalling-py<version>.xml``; ``nox -s browser``:
``<package folder>-browser-py<version>.xml``). ``scripts/test`` calls
this at the very end, so that the last lines of its output are one line per run and the
total::

    python scripts/pytest_summary.py .nox/_reports packages
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

# pytest's order of outcomes in its summary line.
ORDER = ("failed", "passed", "skipped", "errors")


def read_report(path: Path) -> tuple[Counter[str], float]:
    """Return the outcome counts and the duration recorded in one JUnit XML report."""
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    counts: Counter[str] = Counter()
    seconds = 0.0
    for suite in suites:
        tests = int(suite.get("tests", 0))
        failed = int(suite.get("failures", 0))
        errors = int(suite.get("errors", 0))
        skipped = int(suite.get("skipped", 0))
        counts["failed"] += failed
        counts["errors"] += errors
        counts["skipped"] += skipped
        counts["passed"] += tests - failed - errors - skipped
        seconds += float(suite.get("time", 0.0))
    return counts, seconds


def describe(counts: Counter[str], seconds: float) -> str:
    """Format counts like pytest: ``1 failed, 114 passed, 1 skipped in 20.13s``."""
    parts = []
    for outcome in ORDER:
        if counts[outcome]:
            name = "error" if outcome == "errors" and counts[outcome] == 1 else outcome
            parts.append(f"{counts[outcome]} {name}")
    return f"{', '.join(parts) or 'no tests ran'} in {seconds:.2f}s"


def rule(text: str, char: str = "=") -> str:
    """Centre ``text`` in a line of ``char`` as wide as the terminal (80 without one)."""
    width = shutil.get_terminal_size((80, 24)).columns
    return f" {text} ".center(width, char)


def main() -> int:
    """Print one line per package, then the total; exit 1 if anything failed or is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", type=Path, help="folder of <package>.xml reports")
    parser.add_argument("packages", type=Path, help="the packages/ folder of the monorepo")
    args = parser.parse_args()

    folders = sorted(p.parent.name for p in args.packages.glob("*/pyproject.toml"))
    total: Counter[str] = Counter()
    seconds = 0.0
    missing = []
    print(rule("pytest results of every package", "-"))
    for folder in folders:
        run = re.compile(rf"^{re.escape(folder)}-(signalling-|browser-)?py[0-9.]+$")
        reports = sorted(p for p in args.reports.glob("*.xml") if run.match(p.stem))
        if not reports:
            has_tests = (args.packages / folder / "tests").is_dir()
            why = "no report: pytest did not run" if has_tests else "no tests/ folder yet"
            print(f"{folder}: {why}")
            if has_tests:
                missing.append(folder)
            continue
        for report in reports:
            counts, elapsed = read_report(report)
            print(f"{report.stem}: {describe(counts, elapsed)}")
            total += counts
            seconds += elapsed
    print(rule(describe(total, seconds)))
    return 1 if missing or total["failed"] or total["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
