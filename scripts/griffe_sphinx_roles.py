"""Griffe extension: show Sphinx cross-reference roles in docstrings as code.

The sources' docstrings use roles such as ``:class:`~janus_webrtc.Connection``` that read well
in an editor; mkdocstrings does not interpret them. This turns each into inline code
(``Connection``), the way Sphinx would display it. Referenced from ``mkdocs.yml``.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|attr|mod|data|exc|obj|const):`(~?)([^`]+)`")


def _as_code(match: re.Match[str]) -> str:
    short, target = match.groups()
    if short:
        target = target.rpartition(".")[2]
    return f"`{target}`"


class SphinxRoles(griffe.Extension):
    """Rewrite Sphinx roles in every docstring as inline code."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Rewrite the docstring of each object as it is loaded."""
        if obj.docstring is not None:
            obj.docstring.value = _ROLE.sub(_as_code, obj.docstring.value)
