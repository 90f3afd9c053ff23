"""Local media of a WebRTC handle: the tracks it sends, kept across calls."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._base import WebRTCBase
from ._local import LocalTrack

if TYPE_CHECKING:
    from aiortc import MediaStreamTrack

__all__ = ["LocalMediaMixin"]

_DIRECTIONS = ("sendrecv", "sendonly", "recvonly", "inactive")


class LocalMediaMixin(WebRTCBase):
    """Adding, replacing and removing local tracks, and m-line directions."""

    def add_track(self, track: MediaStreamTrack, *, direction: str = "sendrecv") -> None:
        """Add a local track to send (audio or video), kept until removed or the handle closes.

        The track goes out from the next negotiation on (renegotiate if a call is up): on a new
        m-line of the next offer, or on an m-line of its kind in Janus's next offer. It is
        stopped when the handle is detached or closed.

        Args:
            track: Any aiortc ``MediaStreamTrack`` (a ``MediaPlayer``'s track, a generator...).
            direction: ``"sendrecv"`` (also receive the echo/peer's media) or ``"sendonly"``.

        Raises:
            ValueError: Unknown kind or direction, or the track was added already.
            StateError: The handle is detached.
        """
        self._check_attached("add a track")
        if track.kind not in ("audio", "video"):
            raise ValueError(f"cannot add a track of kind {track.kind!r}")
        if direction not in ("sendrecv", "sendonly"):
            raise ValueError("direction must be 'sendrecv' or 'sendonly' for a local track")
        if any(local.track is track for local in self._local):
            raise ValueError("this track was added already")
        self._local.append(LocalTrack(track, direction))

    def add_player(self, player: Any, *, direction: str = "sendrecv") -> None:
        """Add the audio and video tracks of an aiortc ``MediaPlayer`` (file, device, URL).

        The player is stopped when the handle is detached or closed.
        """
        for track in (player.audio, player.video):
            if track is not None:
                self.add_track(track, direction=direction)
        self._players.append(player)

    def add_receiver(self, kind: str, *, direction: str = "recvonly") -> None:
        """Ask to receive a medium without sending one (adds a ``recvonly`` transceiver).

        Raises:
            StateError: The handle is detached.
        """
        self._check_attached("add a receiver")
        if kind not in ("audio", "video") or direction not in ("recvonly", "inactive"):
            raise ValueError("kind must be audio/video and direction recvonly/inactive")
        self._ensure_pc().addTransceiver(kind, direction=direction)

    @property
    def local_tracks(self) -> tuple[MediaStreamTrack, ...]:
        """The local tracks added and not removed."""
        return tuple(local.track for local in self._local)

    def replace_track(self, old: MediaStreamTrack, new: MediaStreamTrack | None) -> None:
        """Send ``new`` instead of ``old`` at once, without renegotiation.

        The old track is stopped. ``new=None`` sends nothing on that m-line (it stays
        negotiated; use :meth:`remove_track` and renegotiate to drop it).

        Raises:
            ValueError: ``old`` was not added, or ``new`` is of another kind.
        """
        local = self._find_local(old)
        if new is not None and new.kind != old.kind:
            raise ValueError(f"cannot replace a {old.kind} track with a {new.kind} track")
        sender = self._call.senders.get(local)
        if new is None:
            if sender is not None:
                sender.transceiver.sender.replaceTrack(None)
                sender.track.stop()
                del self._call.senders[local]
            self._local.remove(local)
        else:
            local.track = new
            if sender is not None:
                sender.track.source = new
        old.stop()

    def remove_track(self, track: MediaStreamTrack) -> None:
        """Stop sending a local track; renegotiate to tell Janus.

        The m-line stays (receive-only if it was ``sendrecv``, else inactive); the track is
        stopped.

        Raises:
            ValueError: The track was not added.
        """
        local = self._find_local(track)
        self._local.remove(local)
        sender = self._call.senders.pop(local, None)
        if sender is not None:
            transceiver = sender.transceiver
            transceiver.sender.replaceTrack(None)
            transceiver.direction = (
                "recvonly" if transceiver.direction == "sendrecv" else "inactive"
            )
            sender.track.stop()
        track.stop()

    def set_direction(self, kind_or_mid: str, direction: str) -> None:
        """Change the direction of the m-lines of a kind (or one mid); renegotiate after.

        Raises:
            ValueError: Unknown direction, or no such m-line.
        """
        if direction not in _DIRECTIONS:
            raise ValueError(f"unknown direction {direction!r}")
        pc = self._pc
        matched = [
            t
            for t in (pc.getTransceivers() if pc is not None else [])
            if kind_or_mid in (t.kind, t.mid) and not t.stopped
        ]
        if not matched:
            raise ValueError(f"no m-line of kind or mid {kind_or_mid!r}")
        for transceiver in matched:
            transceiver.direction = direction

    def _find_local(self, track: MediaStreamTrack) -> LocalTrack:
        for local in self._local:
            if local.track is track:
                return local
        raise ValueError("this track was not added to the handle")
