"""The EchoTest handle: Janus's EchoTest plugin API with aiortc media.

Every option of the plugin's single request (Janus 1.1.2, ``src/plugins/janus_echotest.c``) is a
keyword argument of :meth:`EchoTestHandle.start` (with an offer) or
:meth:`EchoTestHandle.configure` (mid-call), and has a one-option method of its own.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any, ClassVar

from janus_webrtc import (
    Event,
    MediaRejectedError,
    PluginError,
    PluginEvent,
    RecordingHandle,
    RecordingRefusedError,
    WebRTCHandle,
)
from janus_webrtc.plugin_kit import request_body
from janus_webrtc.recordings import Recordings, negotiated_media

from .errors import (
    EchoTestError,
    EchoTestMediaRejectedError,
    EchoTestRecordingRefusedError,
    InvalidElementError,
)
from .messages import EchoTestResult, parse_event, parse_result

__all__ = ["EchoTestHandle"]


class EchoTestHandle(WebRTCHandle, RecordingHandle):
    """A handle on Janus's EchoTest plugin: media sent to it comes back.

    Get one with ``await session.attach("echotest")``. Add local media, then :meth:`start`::

        echo = await session.attach("echotest")
        echo.configure_rtc(RTCConfiguration(iceServers=[]))
        echo.add_track(ToneAudioTrack())
        echo.add_track(TestPatternVideoTrack())
        counter = echo.record_to(FrameCounter())
        await echo.start(audio=True, video=True)
        await echo.wait_connected()

    Plugin errors raise :class:`~janus_echotest.errors.EchoTestError`.

    Recordings: Janus answers ``record`` with ``ok`` even when it cannot open the files (it
    only logs). Set :attr:`~janus_webrtc.RecordingHandle.recording_check` and every request
    that starts one (:meth:`record`, ``record=True`` of :meth:`start` and :meth:`configure`)
    checks that Janus opened a file for each negotiated medium, raising
    :class:`~janus_echotest.errors.EchoTestRecordingRefusedError` if not::

        echo.recording_check = RecordingCheck(admin=api)        # the Admin API, or
        echo.recording_check = RecordingCheck(local_files=True)  # Janus on this filesystem
    """

    plugin_id: ClassVar[str] = "janus.plugin.echotest"
    error_class: ClassVar[type[PluginError]] = EchoTestError
    media_rejected_error: ClassVar[type[MediaRejectedError]] = EchoTestMediaRejectedError
    recording_refused_error: ClassVar[type[RecordingRefusedError]] = EchoTestRecordingRefusedError
    local_recording_files: ClassVar[bool] = True

    async def start(
        self,
        *,
        audio: bool | None = None,
        video: bool | None = None,
        audiocodec: str | None = None,
        videocodec: str | None = None,
        videoprofile: str | None = None,
        opusred: bool | None = None,
        bitrate: int | None = None,
        record: bool | None = None,
        filename: str | None = None,
        substream: int | None = None,
        temporal: int | None = None,
        fallback: int | None = None,
        min_delay: int | None = None,
        max_delay: int | None = None,
        timeout: float | None = None,
    ) -> EchoTestResult:
        """Offer the local media (and data channels) and apply the plugin's answer.

        Starts the echo test, or renegotiates it when a call is up (after adding or removing
        tracks). Options left at ``None`` are not sent.

        Args:
            audio: Echo audio back.
            video: Echo video back.
            audiocodec: Audio codec to answer with (``"opus"``, ``"pcmu"``, ...; new
                PeerConnection only). A codec the offer lacks gets the audio rejected.
            videocodec: Video codec to answer with (``"vp8"``, ``"h264"``, ...).
            videoprofile: VP9 profile (``"0"``/``"2"``) or H.264 profile (``"42e01f"``).
            opusred: Accept Opus RED (redundant audio) if offered.
            bitrate: Cap the video bitrate the browser/aiortc is told to use (bits/s; 0: none).
            record: Record the echoed media on the server (``.mjr`` files), checked with the
                handle's ``recording_check`` if it has one.
            filename: Base path of the recordings on the Janus host (``-audio.mjr``,
                ``-video.mjr``, ``-data.mjr`` are added; relative: to Janus's working folder).
            substream: Simulcast substream to echo (0-2).
            temporal: Simulcast temporal layer to echo (0-2).
            fallback: Microseconds without the wanted substream before falling back.
            min_delay: Playout-delay extension minimum (10 ms units; -1: off).
            max_delay: Playout-delay extension maximum (10 ms units; -1: off).
            timeout: Seconds to wait for the plugin.

        Returns:
            The plugin's result, with Janus's answer as ``jsep``.

        Raises:
            EchoTestError: The plugin refused the request.
            EchoTestMediaRejectedError: The plugin rejected offered media (such as an unknown
                codec); the call is undone.
            EchoTestRecordingRefusedError: ``record`` and a ``recording_check``: Janus opened
                no recording (the call goes on, unrecorded).
            ValueError: ``record`` with a local files check, and no absolute ``filename``.
        """
        if record:
            self._local_recording_path(filename)
        body = request_body(
            audio=audio,
            video=video,
            audiocodec=audiocodec,
            videocodec=videocodec,
            videoprofile=videoprofile,
            opusred=opusred,
            bitrate=bitrate,
            record=record,
            filename=filename,
            substream=substream,
            temporal=temporal,
            fallback=fallback,
            min_delay=min_delay,
            max_delay=max_delay,
        )
        result = parse_result(await self.negotiate_offer(body, timeout=timeout))
        if record:
            await self._check_recording(filename, timeout=timeout)
        return result

    async def configure(
        self,
        *,
        audio: bool | None = None,
        video: bool | None = None,
        bitrate: int | None = None,
        record: bool | None = None,
        filename: str | None = None,
        substream: int | None = None,
        temporal: int | None = None,
        fallback: int | None = None,
        min_delay: int | None = None,
        max_delay: int | None = None,
        timeout: float | None = None,
    ) -> EchoTestResult:
        """Change settings mid-call, without renegotiating.

        Args: as for :meth:`start` (codec options only apply to a new PeerConnection).

        Raises:
            ValueError: No option given; or ``record`` with a local files check, and no
                absolute ``filename``.
            EchoTestError: The plugin refused the request.
            EchoTestRecordingRefusedError: ``record`` and a ``recording_check``: Janus opened
                no recording.
        """
        body = request_body(
            audio=audio,
            video=video,
            bitrate=bitrate,
            record=record,
            filename=filename,
            substream=substream,
            temporal=temporal,
            fallback=fallback,
            min_delay=min_delay,
            max_delay=max_delay,
        )
        if not body:
            raise ValueError("configure() needs at least one option")
        if record:
            self._local_recording_path(filename)
        result = parse_result(await self.send(body, timeout=timeout))
        if record:
            await self._check_recording(filename, timeout=timeout)
        return result

    async def set_audio(self, enabled: bool, *, timeout: float | None = None) -> EchoTestResult:
        """Echo audio back, or stop echoing it (``audio``)."""
        return await self.configure(audio=enabled, timeout=timeout)

    async def set_video(self, enabled: bool, *, timeout: float | None = None) -> EchoTestResult:
        """Echo video back, or stop echoing it (``video``)."""
        return await self.configure(video=enabled, timeout=timeout)

    async def set_bitrate(self, bitrate: int, *, timeout: float | None = None) -> EchoTestResult:
        """Cap the video bitrate the sender is told to use, in bits/s; 0 lifts it."""
        return await self.configure(bitrate=bitrate, timeout=timeout)

    async def record(
        self, enabled: bool = True, *, filename: str | None = None, timeout: float | None = None
    ) -> EchoTestResult:
        """Start (or stop) recording on the server (``record``, ``filename``).

        Janus records each negotiated medium to ``<filename>-audio.mjr``, ``-video.mjr`` and
        ``-data.mjr``. It answers ``ok`` even when it cannot open them; with a
        :attr:`~janus_webrtc.RecordingHandle.recording_check` this raises instead.

        Args:
            enabled: Start (True) or stop (False) recording.
            filename: Base path of the ``.mjr`` files on the Janus host (Janus picks one in its
                working folder if None).
            timeout: Seconds to wait for each request.

        Raises:
            EchoTestRecordingRefusedError: With a ``recording_check``: Janus opened no
                recording for some medium (``refused``); recording was stopped again.
            ValueError: A local files check, and no absolute ``filename``.
        """
        return await self.configure(record=enabled, filename=filename, timeout=timeout)

    async def set_substream(
        self, substream: int, *, timeout: float | None = None
    ) -> EchoTestResult:
        """Pick the simulcast substream to echo (0-2; ``substream``)."""
        return await self.configure(substream=substream, timeout=timeout)

    async def set_temporal(self, temporal: int, *, timeout: float | None = None) -> EchoTestResult:
        """Pick the simulcast temporal layer to echo (0-2; ``temporal``)."""
        return await self.configure(temporal=temporal, timeout=timeout)

    async def set_fallback(self, fallback: int, *, timeout: float | None = None) -> EchoTestResult:
        """Set the simulcast fallback timer in microseconds (``fallback``)."""
        return await self.configure(fallback=fallback, timeout=timeout)

    async def set_playout_delay(
        self, min_delay: int, max_delay: int, *, timeout: float | None = None
    ) -> EchoTestResult:
        """Set the playout-delay extension (10 ms units; -1 turns it off)."""
        return await self.configure(min_delay=min_delay, max_delay=max_delay, timeout=timeout)

    def parse_recordings(self, plugin_specific: Mapping[str, Any]) -> Recordings:
        """Read the ``recording`` object of the EchoTest's ``handle_info``: file by medium."""
        recording = plugin_specific.get("recording")
        if not isinstance(recording, Mapping):
            return Recordings()
        return Recordings(
            files={medium: name for medium, name in recording.items() if isinstance(name, str)}
        )

    async def _check_recording(self, filename: str | None, *, timeout: float | None) -> None:
        """Raise if Janus opened no recording of a negotiated medium (with a recording check)."""
        if self.recording_check is None:
            return
        pc = self.peer_connection
        local = pc.localDescription if pc is not None else None
        remote = pc.remoteDescription if pc is not None else None
        media = negotiated_media(
            local.sdp if local is not None else None, remote.sdp if remote is not None else None
        )
        if not media:
            return  # nothing negotiated: Janus records nothing, and says so by nothing
        # Janus 1.1.2 answers before it opens the files (janus_echotest.c: the "ok" is pushed,
        # then the recorders are created), from the one thread that handles every EchoTest
        # request in turn: the answer to a request it cannot carry out comes after them.
        with contextlib.suppress(InvalidElementError):
            await self.send({}, timeout=timeout)
        paths = self._local_recording_files(filename, media)
        await self._verify_recording(
            media, filename=filename, undo={"record": False}, paths=paths, timeout=timeout
        )

    def parse_plugin_event(self, event: PluginEvent) -> Event:
        """Turn the plugin's events into typed ones (see :mod:`janus_echotest.messages`)."""
        return parse_event(event)
