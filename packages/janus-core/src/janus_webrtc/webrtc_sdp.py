"""Small, pure SDP helpers used by :mod:`janus_webrtc.webrtc` (no I/O, no aiortc state).

They read just what the WebRTC handle needs from an SDP text: the ICE candidates it carries
and the media sections the answerer rejected (port 0).
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["MediaSection", "candidate_address", "media_sections", "sdp_candidates"]


@dataclass(frozen=True, slots=True)
class MediaSection:
    """One ``m=`` section of an SDP.

    Attributes:
        index: Its position (the m-line index).
        kind: ``"audio"``, ``"video"`` or ``"application"``.
        port: The port of the ``m=`` line; 0 means the section is rejected or disabled.
        mid: Its ``a=mid``, if any.
        direction: ``sendrecv``, ``sendonly``, ``recvonly`` or ``inactive`` (``sendrecv`` when
            not said).
        codecs: Codec names of its ``a=rtpmap`` lines, in order (``"opus"``, ``"VP8"``, ...).
        candidates: Its ``a=candidate`` lines, without the ``a=`` prefix.
    """

    index: int
    kind: str
    port: int
    mid: str | None
    direction: str
    codecs: tuple[str, ...]
    candidates: tuple[str, ...]

    @property
    def rejected(self) -> bool:
        """Whether the section is rejected (port 0)."""
        return self.port == 0


_DIRECTIONS = ("sendrecv", "sendonly", "recvonly", "inactive")


@dataclass(slots=True)
class _Builder:
    kind: str
    port: int
    mid: str | None = None
    direction: str = "sendrecv"
    codecs: list[str] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)

    def build(self, index: int) -> MediaSection:
        return MediaSection(
            index=index,
            kind=self.kind,
            port=self.port,
            mid=self.mid,
            direction=self.direction,
            codecs=tuple(self.codecs),
            candidates=tuple(self.candidates),
        )


def media_sections(sdp: str) -> list[MediaSection]:
    """Split an SDP into its media sections.

    Args:
        sdp: The SDP text.

    Returns:
        One :class:`MediaSection` per ``m=`` line, in order.
    """
    builders: list[_Builder] = []
    for raw in sdp.splitlines():
        line = raw.strip()
        if line.startswith("m="):
            parts = line[2:].split()
            port = parts[1].split("/")[0] if len(parts) > 1 else "0"
            builders.append(_Builder(parts[0] if parts else "", int(port) if port.isdigit() else 0))
        elif not builders or not line.startswith("a="):
            continue
        elif line.startswith("a=mid:"):
            builders[-1].mid = line[6:]
        elif line[2:] in _DIRECTIONS:
            builders[-1].direction = line[2:]
        elif line.startswith("a=rtpmap:"):
            fields = line[9:].split(maxsplit=1)
            if len(fields) == 2:
                builders[-1].codecs.append(fields[1].split("/")[0])
        elif line.startswith("a=candidate:"):
            builders[-1].candidates.append(line[2:])
    return [builder.build(index) for index, builder in enumerate(builders)]


def sdp_candidates(sdp: str) -> list[str]:
    """Return every ``candidate:...`` line of an SDP (without the ``a=`` prefix)."""
    return [c for section in media_sections(sdp) for c in section.candidates]


def candidate_address(candidate: str) -> str | None:
    """Return the connection address of a candidate line (``candidate:...`` or bare).

    Args:
        candidate: The candidate, as in SDP or in a trickle message.

    Returns:
        The address (5th field), or None when the line cannot be read.
    """
    text = candidate.removeprefix("a=").removeprefix("candidate:")
    fields = text.split()
    return fields[4] if len(fields) >= 8 else None
