"""MkDocs hooks: an API reference generated from the packages, and plugin pages in the nav.

- Every public module of every package under ``packages/`` (the core first) gets a generated
  page ``reference/<module>.md`` holding ``::: <module>``; they fill the ``API reference``
  section of the nav. A new module or a new package needs no edit to ``mkdocs.yml``.
  A class composed of mixins from private modules (``WebRTCHandle``) shows the public
  members it inherits from them (``inherited_members``), as if they were its own.
- Every ``docs/plugins/<name>.md`` that a plugin package's authors add is appended to the
  ``Plugin packages`` section of the nav (after ``plugins/index.md``), in name order.
- Every package's ``CHANGELOG.md`` becomes a generated page ``changelogs/<folder>.md`` in the
  ``Changelogs`` section (the core first), so the site shows them as they are in the packages.

Referenced from ``mkdocs.yml`` (``hooks:``).
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
PACKAGES_DIR = ROOT / "packages"
CORE_FOLDER = "janus-core"
REFERENCE_SECTION = "API reference"
PLUGINS_SECTION = "Plugin packages"
CHANGELOGS_SECTION = "Changelogs"

_generated: dict[str, str] = {}


def _package_info(folder: Path) -> tuple[str, str] | None:
    """Return (distribution, import name) of one package folder, or None."""
    try:
        data = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    name = data.get("project", {}).get("name")
    if not isinstance(name, str):
        return None
    wheel = data.get("tool", {}).get("hatch", {}).get("build", {}).get("targets", {})
    for entry in wheel.get("wheel", {}).get("packages", []):
        return name, Path(entry).name
    found = sorted(p.parent.name for p in (folder / "src").glob("*/__init__.py"))
    return name, found[0] if len(found) == 1 else name.replace("-", "_")


def _public_modules(package_dir: Path, import_name: str) -> list[str]:
    """Dotted names of the package and its public modules (no ``_private`` parts)."""
    modules = []
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(package_dir).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        if any(part.startswith("_") for part in parts):
            continue
        modules.append(".".join([import_name, *parts]))
    return sorted(modules, key=lambda m: (m.count(".") > 0, m))


def _private_bases(tree: ast.Module) -> dict[str, str]:
    """Names imported by ``from ._private import Name``: name -> private module's stem."""
    found = {}
    for node in tree.body:
        if (
            isinstance(node, ast.ImportFrom)
            and node.level == 1
            and node.module
            and node.module.startswith("_")
            and "." not in node.module
        ):
            found.update({alias.asname or alias.name: node.module for alias in node.names})
    return found


def _mixed_in(path: Path, seen: frozenset[Path] = frozenset()) -> list[str]:
    """Public members the classes of a module inherit from classes of private siblings."""
    if path in seen or not path.is_file():
        return []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    private = _private_bases(tree)
    names: list[str] = []
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        for base in node.bases:
            if not (isinstance(base, ast.Name) and base.id in private):
                continue
            source = path.with_name(private[base.id] + ".py")
            for item in ast.parse(source.read_text(encoding="utf-8")).body:
                if isinstance(item, ast.ClassDef) and item.name == base.id:
                    names += [
                        member.name
                        for member in item.body
                        if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef)
                        and not member.name.startswith("_")
                    ]
            names += _mixed_in(source, seen | {path})
    return sorted(set(names))


def _page(module: str, has_submodules: bool, inherited: list[str] | None = None) -> str:
    options = "      members: false\n" if has_submodules else ""
    if inherited:
        options += f"      inherited_members: {inherited!r}\n"
    return f"# `{module}`\n\n::: {module}\n    options:\n      show_root_heading: false\n{options}"


def _reference_nav() -> list[dict[str, Any]]:
    _generated.clear()
    folders = sorted(p.parent for p in PACKAGES_DIR.glob("*/pyproject.toml"))
    folders.sort(key=lambda p: p.name != CORE_FOLDER)
    sections = []
    for folder in folders:
        info = _package_info(folder)
        if info is None:
            continue
        distribution, import_name = info
        package_dir = folder / "src" / import_name
        if not (package_dir / "__init__.py").is_file():
            continue
        modules = _public_modules(package_dir, import_name)
        pages = []
        for module in modules:
            uri = f"reference/{module}.md"
            prefix = module + "."
            parts = module.split(".")[1:]
            source = package_dir.joinpath(*parts).with_suffix(".py")
            _generated[uri] = _page(
                module, any(m.startswith(prefix) for m in modules), _mixed_in(source)
            )
            pages.append({module: uri})
        sections.append({distribution: pages})
    return sections


def _changelog_nav() -> list[dict[str, Any]]:
    """Generate a page per package changelog; return their nav entries (the core first)."""
    folders = sorted(
        PACKAGES_DIR.glob("*/CHANGELOG.md"), key=lambda p: (p.parent.name != CORE_FOLDER, p)
    )
    entries = []
    for changelog in folders:
        info = _package_info(changelog.parent)
        if info is None:
            continue
        uri = f"changelogs/{changelog.parent.name}.md"
        _generated[uri] = changelog.read_text(encoding="utf-8")
        entries.append({info[0]: uri})
    return entries


def _section(nav: list[Any], title: str) -> list[Any] | None:
    for item in nav:
        if isinstance(item, dict) and title in item and isinstance(item[title], list):
            section: list[Any] = item[title]
            return section
    return None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Fill the ``API reference`` and ``Plugin packages`` sections of the nav."""
    nav = config.nav or []
    reference = _section(nav, REFERENCE_SECTION)
    if reference is not None:
        reference[:] = [item for item in reference if not isinstance(item, dict)]
        reference.extend(_reference_nav())
    changelogs = _section(nav, CHANGELOGS_SECTION)
    if changelogs is not None:
        changelogs[:] = [item for item in changelogs if not isinstance(item, dict)]
        changelogs.extend(_changelog_nav())
    plugins = _section(nav, PLUGINS_SECTION)
    if plugins is not None:
        docs_dir = Path(config.docs_dir)
        listed = {item if isinstance(item, str) else next(iter(item.values())) for item in plugins}
        for page in sorted((docs_dir / "plugins").glob("*.md")):
            uri = page.relative_to(docs_dir).as_posix()
            if uri not in listed:
                plugins.append(uri)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated reference and changelog pages."""
    for uri, content in _generated.items():
        files.append(File.generated(config, uri, content=content))
    return files
