"""The EchoTest handle: Janus's EchoTest plugin API with aiortc media.

Every option of the plugin's single request (Janus 1.1.2, ``src/plugins/janus_echotest.c``) is a
keyword argument of :meth:`EchoTestHandle.start` (with an offer) or
:meth:`EchoTestHandle.configure` (mid-call), and has a one-option method of its own.
"""

from __future__ import annotations

from typing import ClassVar

from janus_webrtc import Event, MediaRejectedError, PluginError, PluginEvent, WebRTCHandle
from janus_webrtc.plugin_kit import request_body

from .errors import EchoTestError, EchoTestMediaRejectedError
from .messages import EchoTestResult, parse_event, parse_result

__all__ = ["EchoTestHandle"]


class EchoTestHandle(WebRTCHandle):
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
    """

    plugin_id: ClassVar[str] = "janus.plugin.echotest"
    error_class: ClassVar[type[PluginError]] = EchoTestError
    media_rejected_error: ClassVar[type[MediaRejectedError]] = EchoTestMediaRejectedError

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
            record: Record the echoed media on the server (``.mjr`` files).
            filename: Base path of the recordings (``-audio.mjr``, ``-video.mjr`` are added).
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
        """
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
        return parse_result(await self.negotiate_offer(body, timeout=timeout))

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
            ValueError: No option given.
            EchoTestError: The plugin refused the request.
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
        return parse_result(await self.send(body, timeout=timeout))

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

        Args:
            enabled: Start (True) or stop (False) recording.
            filename: Base path of the ``.mjr`` files on the server (Janus picks one if None).
            timeout: Seconds to wait for the plugin.
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

    def parse_plugin_event(self, event: PluginEvent) -> Event:
        """Turn the plugin's events into typed ones (see :mod:`janus_echotest.messages`)."""
        return parse_event(event)
