"""Create a new plugin package: the same shape as this project's own plugin packages.

``janusctl new-plugin NAME [DEST]`` (also ``python -m janus_webrtc.template NAME [DEST]``,
or :func:`create_plugin_package`) writes a complete, installable package for Janus's
``janus.plugin.NAME`` plugin into ``DEST/janus-NAME``::

    janus-NAME/
      pyproject.toml        janus-webrtc[media], the janus_webrtc entry point, a testing
                            extra, pytest settings
      README.md  CHANGELOG.md
      LICENSE               MIT (the pyproject's licence; put your name in it)
      src/janus_NAME/
        __init__.py         public names, __all__, __version__
        handle.py           the handle class (a WebRTCHandle) with one example request method
        messages.py         typed answers and events, read with the plugin kit's readers
        errors.py           the package's PluginError, error codes declared with code=
        plugin.py           the hookimpl registering the handle class
        py.typed
      tests/test_NAME.py    tests against a real Janus with the shipped fixtures

Its tests pass as generated (``pip install -e '.[testing]' && pytest``); the example method
``ask()`` is meant to be replaced with one typed method per plugin request.
"""

from __future__ import annotations

import datetime
import keyword
import re
from importlib import resources
from pathlib import Path
from string import Template

__all__ = ["create_plugin_package"]

_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")

_FILES = {
    "pyproject.toml": "pyproject.toml.tmpl",
    "README.md": "README.md.tmpl",
    "CHANGELOG.md": "CHANGELOG.md.tmpl",
    "LICENSE": "LICENSE.tmpl",
    "src/{package}/__init__.py": "__init__.py.tmpl",
    "src/{package}/errors.py": "errors.py.tmpl",
    "src/{package}/messages.py": "messages.py.tmpl",
    "src/{package}/handle.py": "handle.py.tmpl",
    "src/{package}/plugin.py": "plugin.py.tmpl",
    "tests/test_{name}.py": "test.py.tmpl",
}


def create_plugin_package(
    name: str,
    dest: str | Path,
    *,
    plugin_id: str | None = None,
    requirement: str = ">=0.1,<0.2",
) -> Path:
    """Write a new plugin package for one Janus plugin.

    ``janusctl new-plugin`` calls this function.

    Args:
        name: The plugin's short name (``"recordplay"``): lower case letters, digits and
            underscores. It names the entry point, the distribution ``janus-<name>`` (with
            ``-`` for ``_``) and the import package ``janus_<name>``.
        dest: The folder to create the package folder in (created if needed).
        plugin_id: The Janus plugin id (default: ``janus.plugin.<name>``).
        requirement: The version range of janus-webrtc the package depends on (with its
            ``media`` extra: the handle is a WebRTCHandle).

    Returns:
        The package folder, ``dest/janus-<name>``.

    Raises:
        ValueError: ``name`` or ``plugin_id`` is not valid.
        FileExistsError: The package folder exists already (nothing is overwritten).
    """
    if not _NAME.match(name) or keyword.iskeyword(name):
        raise ValueError(
            f"plugin name {name!r} must be lower case letters, digits and underscores, "
            "starting with a letter (such as 'recordplay')"
        )
    plugin_id = plugin_id or f"janus.plugin.{name}"
    if "." not in plugin_id or any(c.isspace() for c in plugin_id):
        raise ValueError(f"plugin id {plugin_id!r} is not one such as 'janus.plugin.{name}'")
    distribution = f"janus-{name.replace('_', '-')}"
    package = f"janus_{name}"
    folder = Path(dest) / distribution
    if folder.exists():
        raise FileExistsError(f"cannot create {distribution}: {folder} exists already")
    values = {
        "name": name,
        "plugin_id": plugin_id,
        "distribution": distribution,
        "package": package,
        "camel": "".join(part.capitalize() for part in name.split("_")),
        "handle_suffix": "Handle",
        "error_suffix": "Error",
        "requirement": requirement,
        "year": str(datetime.date.today().year),
    }
    templates = resources.files(__package__).joinpath("files")
    written: dict[Path, str] = {}
    for target, source in _FILES.items():
        template = Template(templates.joinpath(source).read_text(encoding="utf-8"))
        written[folder / target.format(package=package, name=name)] = template.substitute(values)
    written[folder / "src" / package / "py.typed"] = ""
    for path, text in written.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder
