"""The aiortc and aioice versions the private patches of this package were tested on.

:mod:`._ice` and :mod:`._rtp` reach into aiortc's and aioice's internals, which change
without notice between their releases. They check :func:`untested` before touching anything:
on a version outside :data:`TESTED` they refuse (an ICE restart raises) or step aside (RTP
routing repairs are skipped, with a warning), instead of corrupting a peer connection. The
package's dependencies carry the same upper bounds, and a test fails on an untested version.
"""

from __future__ import annotations

import logging
import re
from importlib import metadata

__all__ = ["TESTED", "tested_range", "untested", "version_tuple"]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())

TESTED: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {
    "aiortc": ((1, 16), (1, 17)),
    "aioice": ((0, 13), (0, 14)),
}
"""Per distribution: the lowest version tested, and the first version not tested."""


def version_tuple(version: str) -> tuple[int, ...]:
    """Read the release numbers of a version string (``"1.16.0rc1"`` gives ``(1, 16, 0)``)."""
    numbers = []
    for part in version.split("."):
        match = re.match(r"\d+", part)
        if match is None:
            break
        numbers.append(int(match.group()))
        if match.end() != len(part):
            break
    return tuple(numbers)


def tested_range(distribution: str) -> str:
    """The tested range of a distribution as a requirement (``">=1.16,<1.17"``)."""
    low, high = TESTED[distribution]
    return f">={'.'.join(map(str, low))},<{'.'.join(map(str, high))}"


def untested(distribution: str, version: str | None = None) -> str | None:
    """Say why the installed (or given) version of a distribution is not a tested one.

    Args:
        distribution: A key of :data:`TESTED` (``"aiortc"`` or ``"aioice"``).
        version: The version to judge (default: the installed one).

    Returns:
        None for a tested version, else a message naming the version and the tested range.
    """
    if version is None:
        try:
            version = metadata.version(distribution)
        except metadata.PackageNotFoundError:
            return f"{distribution} is not installed"
    low, high = TESTED[distribution]
    if low <= version_tuple(version) < high:
        return None
    return (
        f"{distribution} {version} is not a version janus-webrtc was tested on "
        f"({distribution}{tested_range(distribution)})"
    )
