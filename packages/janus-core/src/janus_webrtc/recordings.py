"""Recordings Janus makes on its host, and checking that it really opened them.

Janus 1.1.2 answers a request to record (EchoTest ``record``, VideoCall ``set``, VideoRoom
``publish``/``configure``, AudioBridge ``join``/``configure``) with success even when it cannot
create the file: a folder it may not write to, one of its ``protected_folders``, a path through
a regular file. It logs an error ("Couldn't open an audio recording file...") and records
nothing; its reply and its events say nothing about it. The plugin handles that record derive
from :class:`RecordingHandle`: give one a :class:`RecordingCheck`, and every request of it that
starts a recording is checked, raising the plugin's
:class:`~janus_webrtc.RecordingRefusedError` subclass::

    async with admin.connect(admin_url, admin_secret=secret) as api:
        echo.recording_check = RecordingCheck(admin=api)
        await echo.record(filename="/srv/recordings/call-1")  # raises if Janus could not

The check is opt-in because there is no answer to read; it needs one of:

- ``admin``: an Admin API client of the same server. The handle's ``handle_info`` lists the
  recordings its plugin has open (``plugin_specific``): a medium the request should have
  started and that has none was refused. Works wherever Janus runs; one more request per
  checked call.
- ``local_files=True``: Janus writes to the filesystem this process sees (same host, same
  mounts: not a Janus in a container with folders of its own) and the request names the whole
  path (an absolute ``filename``): the files must exist once Janus has answered. For plugins
  that do not put a folder of their own in front of the path (EchoTest, VideoCall); VideoRoom
  and AudioBridge add their room's folder, which the handle does not know.

When a recording was refused, the handle asks Janus to stop recording again before raising:
some plugins keep "recording on" although nothing is written, and would ignore the next
request to record. Asking again, with another path, then starts afresh.

:meth:`RecordingHandle.recordings` reads the same Admin API state at any time.
"""

from __future__ import annotations

import glob
import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from .errors import JanusError, RecordingRefusedError
from .handle import Handle
from .webrtc_sdp import media_sections

if TYPE_CHECKING:
    from .admin import AdminClient

__all__ = ["RecordingCheck", "RecordingHandle", "Recordings", "negotiated_media"]

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())


@dataclass(frozen=True, slots=True)
class RecordingCheck:
    """How a handle checks that Janus opened the recordings it asked for (see the module).

    Attributes:
        admin: An Admin API client of the handle's server (:func:`janus_webrtc.admin.connect`):
            the check reads the handle's ``handle_info``. Used when given.
        local_files: Janus writes to this process's filesystem: the check looks for the files
            (only where the request names the whole path, see the module).

    Raises:
        ValueError: Neither is given.
    """

    admin: AdminClient | None = None
    local_files: bool = False

    def __post_init__(self) -> None:
        if self.admin is None and not self.local_files:
            raise ValueError("a RecordingCheck needs admin= (an Admin API client) or local_files")


@dataclass(frozen=True, slots=True)
class Recordings:
    """What a plugin records for one handle, as Janus's Admin API reports it.

    Attributes:
        files: The file name of each open recording, by medium (``{"audio": "a-audio.mjr"}``),
            as Janus keeps it: without its folder.
        media: Every medium the plugin lists for the handle, recorded or not, where it lists
            them (VideoRoom publisher streams: ``("audio-0", "video-1")``); else ``()``.
    """

    files: Mapping[str, str] = field(default_factory=dict)
    media: tuple[str, ...] = ()


def negotiated_media(local_sdp: str | None, remote_sdp: str | None) -> tuple[str, ...]:
    """The media both sides of a negotiation kept: what a plugin records for a peer connection.

    Args:
        local_sdp: This side's description (None: no negotiation yet).
        remote_sdp: Janus's description.

    Returns:
        ``"audio"``, ``"video"`` and ``"data"`` (for an ``application`` section), each once, in
        SDP order, for the kinds with a section neither side rejected (port 0).
    """
    if local_sdp is None or remote_sdp is None:
        return ()

    def kinds(sdp: str) -> list[str]:
        names = {"application": "data"}
        return [names.get(s.kind, s.kind) for s in media_sections(sdp) if not s.rejected]

    remote = set(kinds(remote_sdp))
    return tuple(dict.fromkeys(kind for kind in kinds(local_sdp) if kind in remote))


def _written(path: Path) -> bool:
    """Whether Janus created ``path``, or the same with its temporary extension."""
    if path.exists():
        return True
    return any(path.parent.glob(glob.escape(path.name) + ".*"))


class RecordingHandle(Handle):
    """A handle whose plugin records on the Janus host: the shared part of checking it.

    A plugin package's handle derives from it (next to ``WebRTCHandle``), sets
    :attr:`recording_refused_error` to its subclass of
    :class:`~janus_webrtc.RecordingRefusedError`, reads its plugin's ``handle_info`` in
    :meth:`parse_recordings`, and awaits :meth:`_verify_recording` after each request that
    starts a recording.

    Attributes:
        recording_refused_error: Class attribute: the exception raised for a refused recording.
        local_recording_files: Class attribute: whether the plugin's recording paths can be
            found in local files (the whole path is in the request).
    """

    recording_refused_error: ClassVar[type[RecordingRefusedError]] = RecordingRefusedError
    local_recording_files: ClassVar[bool] = False
    _recording_check: RecordingCheck | None = None

    @property
    def recording_check(self) -> RecordingCheck | None:
        """How the recordings this handle starts are checked (None, the default: not at all).

        Raises:
            ValueError: (on assignment) ``local_files`` alone, and this plugin's recording
                paths cannot be found in local files.
        """
        return self._recording_check

    @recording_check.setter
    def recording_check(self, check: RecordingCheck | None) -> None:
        if check is not None and check.admin is None and not self.local_recording_files:
            raise ValueError(
                f"{type(self).__name__} recordings cannot be checked in local files (the "
                "plugin puts its room's folder in front of the path): give admin="
            )
        self._recording_check = check

    async def recordings(self, admin: AdminClient, *, timeout: float | None = None) -> Recordings:
        """Read what the plugin records for this handle now (Admin API ``handle_info``).

        Args:
            admin: An Admin API client of this handle's server.
            timeout: Seconds to wait (default: the admin connection's ``timeout``).

        Returns:
            The recordings open for this handle (none: ``files`` is empty).

        Raises:
            ServerError: The Admin API refused (wrong admin secret: ``UnauthorizedError``;
                handle gone: ``HandleNotFoundError``).
        """
        info = await admin.handle_info(self.session.id, self.id, plugin_only=True, timeout=timeout)
        return self.parse_recordings(info.plugin_specific)

    def parse_recordings(self, plugin_specific: Mapping[str, Any]) -> Recordings:
        """Read the plugin's recordings from its ``handle_info`` (plugin packages override).

        Args:
            plugin_specific: The plugin's part of ``handle_info``.

        Returns:
            Its open recordings (this base: none).
        """
        return Recordings()

    def _local_recording_path(self, filename: str | None) -> str | None:
        """Check before a request that its recording can be checked; return the path to look at.

        Returns:
            ``filename`` when recordings are checked in local files, else None.

        Raises:
            ValueError: They are checked in local files, and ``filename`` is not an absolute
                path (a name Janus picks, or a relative one, is in Janus's working folder).
        """
        check = self._recording_check
        if check is None or check.admin is not None:
            return None
        if filename is None or not Path(filename).is_absolute():
            raise ValueError(
                "cannot check the recording in local files without an absolute filename "
                f"(got {filename!r}): Janus puts other names in its own working folder"
            )
        return filename

    def _local_recording_files(
        self, filename: str | None, media: Collection[str]
    ) -> dict[str, Path] | None:
        """For a local files check: ``<filename>-<medium>.mjr`` for each medium, else None.

        The names the EchoTest and the VideoCall give their recordings.

        Raises:
            ValueError: As :meth:`_local_recording_path`.
        """
        base = self._local_recording_path(filename)
        if base is None:
            return None
        return {medium: Path(f"{base}-{medium}.mjr") for medium in media}

    async def _verify_recording(
        self,
        expected: Collection[str] | None,
        *,
        filename: str | None,
        undo: Mapping[str, Any],
        paths: Mapping[str, Path] | None = None,
        timeout: float | None = None,
    ) -> None:
        """Raise :attr:`recording_refused_error` if Janus did not open a recording asked for.

        Does nothing without a :attr:`recording_check`. Call it once Janus has answered the
        request (and, where the plugin opens files later, once it has opened them).

        Args:
            expected: The media that must be recorded now; None: every medium the plugin lists
                (:attr:`Recordings.media`).
            filename: The path asked for, for the error.
            undo: The request body that stops this handle's recording, sent on a refusal.
            paths: For a local files check, the file of each expected medium.
            timeout: Seconds for each request (default: its connection's ``timeout``).

        Raises:
            RecordingRefusedError: As :attr:`recording_refused_error`: something expected has
                no recording. Janus was asked to stop recording first.
        """
        check = self._recording_check
        if check is None:
            return
        if check.admin is not None:
            state = await self.recordings(check.admin, timeout=timeout)
            wanted = state.media if expected is None else tuple(expected)
            refused = tuple(medium for medium in wanted if medium not in state.files)
            how = "the Admin API lists no recording"
        else:
            files = paths or {}
            refused = tuple(medium for medium, path in files.items() if not _written(path))
            how = "no file was created"
        if not refused:
            return
        stopped = "Janus was asked to stop recording again"
        try:
            await self.send(undo, timeout=timeout)
        except JanusError as exc:
            logger.debug("handle %s: stopping a refused recording failed: %s", self.id, exc)
            stopped = f"stopping it again failed ({exc})"
        where = f" at {filename!r}" if filename is not None else ""
        raise self.recording_refused_error(
            f"Janus did not open the recording of {', '.join(refused)}{where}: {how}; "
            f"{stopped}. Janus's log says why (a folder it cannot write, one of its "
            "protected_folders...)",
            plugin=self.plugin,
            refused=refused,
            filename=filename,
        )
