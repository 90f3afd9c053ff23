"""Every package's pyproject.toml has the metadata a release needs (read, not built).

The built wheels' metadata is checked by ``nox -s build`` (``twine check --strict``); this
test reads the sources, so a missing field shows in the core's quick tests already.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path
from typing import Any

import pytest

from janus_webrtc.template import create_plugin_package

ROOT = Path(__file__).resolve().parents[3]
"""The repository (its packages/ folder holds one folder per distribution)."""

PACKAGES = sorted(p.parent for p in ROOT.glob("packages/*/pyproject.toml"))

URLS = {"Homepage", "Documentation", "Source", "Issues", "Changelog"}
CLASSIFIERS = {
    "Framework :: AsyncIO",
    "Programming Language :: Python :: 3.11",
    "Programming Language :: Python :: 3.12",
    "Programming Language :: Python :: 3.13",
}
CHANGELOG_URL = "https://github.com/janus-webrtc/janus-webrtc/blob/main/"


def project(folder: Path) -> dict[str, Any]:
    """The ``[project]`` table of the pyproject.toml in ``folder``."""
    with (folder / "pyproject.toml").open("rb") as file:
        table: dict[str, Any] = tomllib.load(file)["project"]
    return table


def check_common(folder: Path) -> dict[str, Any]:
    """Assert the fields every package shares (own packages and generated ones); return them."""
    meta = project(folder)
    assert set(meta.get("urls", {})) >= URLS, f"{folder.name}: [project.urls] lacks a name"
    classifiers = set(meta.get("classifiers", ()))
    assert classifiers >= CLASSIFIERS, f"{folder.name}: lacks {CLASSIFIERS - classifiers}"
    assert any(c.startswith("Development Status :: ") for c in classifiers), folder.name
    assert "janus" in meta.get("keywords", ()), folder.name
    assert meta.get("license"), folder.name
    assert (folder / meta["readme"]).is_file(), f"{folder.name}: no {meta['readme']}"
    return meta


def test_there_are_seven_packages() -> None:
    assert len(PACKAGES) == 7, PACKAGES


@pytest.mark.parametrize("folder", PACKAGES, ids=lambda p: p.name)
def test_every_package_has_release_metadata(folder: Path) -> None:
    meta = check_common(folder)
    assert meta["license"] == "MIT" and meta["license-files"] == ["LICENSE"]
    assert (folder / "LICENSE").is_file()
    changelog = meta["urls"]["Changelog"]
    assert changelog.startswith(CHANGELOG_URL), changelog
    assert (ROOT / changelog.removeprefix(CHANGELOG_URL)).is_file(), changelog
    assert changelog == f"{CHANGELOG_URL}packages/{folder.name}/CHANGELOG.md"
    for name in URLS - {"Changelog"}:
        assert meta["urls"][name].startswith("https://github.com/janus-webrtc/janus-webrtc")


def test_a_generated_package_has_the_same_metadata(tmp_path: Path) -> None:
    folder = create_plugin_package("recordplay", tmp_path)
    meta = check_common(folder)
    assert "recordplay" in meta["keywords"]
    assert meta["urls"]["Changelog"].endswith("/CHANGELOG.md")
    assert (folder / "CHANGELOG.md").is_file()


def _error_tree(text: str) -> list[str]:
    """The lines of the error tree that starts at a line ``JanusError`` in ``text``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "JanusError")
    indent = len(lines[start]) - len(lines[start].lstrip())
    tree = []
    for line in lines[start:]:
        if not line.strip() or line.strip().startswith("```"):
            break
        tree.append(line[indent:].rstrip())
    return tree


def test_the_error_tree_of_the_guide_is_the_modules_and_names_every_error() -> None:
    import janus_webrtc
    from janus_webrtc import errors

    assert errors.__doc__ is not None
    tree = _error_tree(errors.__doc__)
    guide = (ROOT / "docs" / "getting-started.md").read_text(encoding="utf-8")
    assert _error_tree(guide) == tree, "docs/getting-started.md: copy the tree of errors.py"
    drawn = {word for line in tree for word in line.replace("(", " ").split()}
    classes = {
        name
        for name in errors.__all__
        if isinstance(getattr(errors, name), type)
        and issubclass(getattr(errors, name), errors.JanusError)
    }
    assert classes - drawn == set(), "errors missing from the tree"
    assert classes <= set(janus_webrtc.__all__), "errors not exported from janus_webrtc"


def _imported_top_names(src: Path) -> set[str]:
    """Top-level names of the absolute imports in the modules under ``src``."""
    names: set[str] = set()
    for path in src.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def _normalized(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group(0)).lower()


@pytest.mark.parametrize("folder", PACKAGES, ids=lambda p: p.name)
def test_every_package_declares_what_its_code_imports(folder: Path) -> None:
    """A distribution imported by a package's code is among its own dependencies or extras.

    Getting it through another package (aiortc through ``janus-webrtc[media]``) does not
    count: that package could stop bringing it.
    """
    meta = project(folder)
    declared = {_normalized(r) for r in meta.get("dependencies", ())}
    for extra in meta.get("optional-dependencies", {}).values():
        declared |= {_normalized(r) for r in extra}
    own = {p.name for p in (folder / "src").iterdir() if p.is_dir()}
    by_module = packages_distributions()
    missing = {}
    for name in sorted(_imported_top_names(folder / "src") - own - set(sys.stdlib_module_names)):
        dists = {_normalized(d) for d in by_module.get(name, [name.replace("_", "-")])}
        if not dists & declared:
            missing[name] = sorted(dists)
    assert missing == {}, f"{folder.name} imports these without declaring them: {missing}"


def test_a_media_dependency_declared_by_a_plugin_package_has_the_cores_bounds() -> None:
    """One set of tested versions: a plugin package's own aiortc bound is the core's."""
    core = next(folder for folder in PACKAGES if folder.name == "janus-core")
    media = {_normalized(r): r for r in project(core)["optional-dependencies"]["media"]}
    for folder in PACKAGES:
        for requirement in project(folder).get("dependencies", ()):
            name = _normalized(requirement)
            if name in media:
                assert requirement == media[name], f"{folder.name}: {requirement} vs the core's"
