"""The Streaming handle: mountpoint administration and watching, with real media.

Every request of the Streaming plugin of Janus 1.1.2 (``src/plugins/janus_streaming.c``) is one
method with keyword-only, typed options and a typed result:

- mountpoints (synchronous in Janus): ``list`` (:meth:`StreamingHandle.list_mountpoints`),
  ``info`` (:meth:`~StreamingHandle.mountpoint_info`), ``create``
  (:meth:`~StreamingHandle.create_rtp_mountpoint`,
  :meth:`~StreamingHandle.create_file_mountpoint`,
  :meth:`~StreamingHandle.create_rtsp_mountpoint`), ``edit``, ``destroy``, ``recording``
  (:meth:`~StreamingHandle.record_mountpoint`,
  :meth:`~StreamingHandle.stop_mountpoint_recording`), ``enable``, ``disable``,
  ``kick_all``;
- watching (asynchronous): ``watch``, ``start``, ``pause``, ``configure``, ``switch``,
  ``stop``.

Janus offers, the handle answers: :meth:`~StreamingHandle.watch` gets Janus's offer and
answers it with ``start``. Plugin errors raise the
:class:`~janus_streaming.errors.StreamingError` subclass of their code.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal

from janus_webrtc import (
    ConnectionStateChanged,
    Event,
    JanusTimeoutError,
    Jsep,
    MediaRejectedError,
    PluginError,
    PluginEvent,
    ProtocolError,
    StateError,
    WebRTCHandle,
)
from janus_webrtc.plugin_kit import expect, id_or_none, request_body, require

from .errors import StreamingError, StreamingMediaRejectedError
from .messages import (
    Configured,
    Kicked,
    Mountpoint,
    MountpointCreated,
    MountpointEdited,
    MountpointId,
    Pausing,
    Preparing,
    RtpMedia,
    StatusEvent,
    Stopped,
    Stopping,
    Switched,
    parse_created,
    parse_event,
    parse_mountpoint,
    parse_response,
)

__all__ = ["PLUGIN_ID", "StreamingHandle"]

PLUGIN_ID = "janus.plugin.streaming"

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())


class StreamingHandle(WebRTCHandle):
    """A handle on the Streaming plugin: manages mountpoints and watches one at a time.

    The class of ``session.attach("streaming")``. Watch a mountpoint::

        viewer = await session.attach(StreamingHandle)
        viewer.configure_rtc(RTCConfiguration(iceServers=[]))
        counter = viewer.record_to(FrameCounter())
        await viewer.watch(mountpoint_id)
        await counter.wait_frames("video", 30)

    Any handle can manage mountpoints, watching or not. One handle watches one mountpoint at
    a time; attach more handles to watch more.
    """

    plugin_id: ClassVar[str] = PLUGIN_ID
    error_class: ClassVar[type[PluginError]] = StreamingError
    media_rejected_error: ClassVar[type[MediaRejectedError]] = StreamingMediaRejectedError

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._watching: MountpointId | None = None

    @property
    def watching(self) -> MountpointId | None:
        """The mountpoint this handle watches, or None."""
        return self._watching

    def parse_plugin_event(self, event: PluginEvent) -> Event:
        """Turn the plugin's events into the typed events of :mod:`janus_streaming.messages`."""
        return parse_event(event)

    def _event_received(self, event: Event) -> None:
        super()._event_received(event)
        if isinstance(event, Stopped | Kicked | Stopping):
            self._watching = None
        elif isinstance(event, Switched) and event.id is not None:
            self._watching = event.id

    async def _ask(self, body: Mapping[str, Any], timeout: float | None) -> Mapping[str, Any]:
        return (await self.send(body, timeout=timeout)).data

    # -- mountpoints (synchronous requests) -------------------------------------------------

    async def list_mountpoints(self, *, timeout: float | None = None) -> tuple[Mountpoint, ...]:
        """List the public mountpoints (``list``); private ones are left out by Janus."""
        data = await self._ask(request_body("list"), timeout)
        entries = data.get("list")
        items = entries if isinstance(entries, list) else []
        return tuple(m for m in (parse_mountpoint(i) for i in items if isinstance(i, Mapping)) if m)

    async def mountpoint_info(
        self, id: MountpointId, *, secret: str | None = None, timeout: float | None = None
    ) -> Mountpoint:
        """Describe a mountpoint (``info``); with its secret, all of it (ports, pin...).

        Raises:
            NoSuchMountpointError: No such mountpoint.
        """
        data = await self._ask(request_body("info", id=id, secret=secret), timeout)
        info = data.get("info")
        return require(
            parse_mountpoint(info) if isinstance(info, Mapping) else None, "mountpoint 'info'"
        )

    async def _create(self, body: dict[str, Any], timeout: float | None) -> MountpointCreated:
        return require(parse_created(await self._ask(body, timeout)), "answer to 'create'")

    async def create_rtp_mountpoint(
        self,
        media: Sequence[RtpMedia],
        *,
        id: MountpointId | None = None,
        name: str | None = None,
        description: str | None = None,
        metadata: str | None = None,
        secret: str | None = None,
        pin: str | None = None,
        is_private: bool | None = None,
        permanent: bool | None = None,
        admin_key: str | None = None,
        collision: int | None = None,
        threads: int | None = None,
        srtpsuite: int | None = None,
        srtpcrypto: str | None = None,
        e2ee: bool | None = None,
        playoutdelay_ext: bool | None = None,
        timeout: float | None = None,
    ) -> MountpointCreated:
        """Create a live mountpoint fed with plain RTP (``create``, type ``rtp``).

        Args:
            media: Its streams, in m-line order (several audio and video streams allowed).
            id: Its id; Janus picks one when None.
            name: Its unique name; Janus picks one when None.
            description: A description.
            metadata: Any text to give viewers (JSON, for example).
            secret: The secret needed to edit, destroy, record, enable or disable it.
            pin: The pin viewers need to watch it.
            is_private: Hide it from ``list``.
            permanent: Also save it in the plugin's configuration file.
            admin_key: The plugin's admin key, when it is configured with one.
            collision: Milliseconds before another SSRC on a port is accepted (0: never).
            threads: Helper threads for the relaying (many viewers).
            srtpsuite: SRTP authentication tag length (32 or 80) of the incoming stream.
            srtpcrypto: The SRTP key (base64, as in SDES) of the incoming stream.
            e2ee: The media are end-to-end encrypted (Insertable Streams).
            playoutdelay_ext: Negotiate the playout-delay RTP extension.
            timeout: Seconds to wait for Janus.

        Returns:
            The new mountpoint, with the ports it listens on.

        Raises:
            CantCreateError: The id is taken, a port cannot be bound...
            StreamingUnauthorizedError: Wrong admin key.
            ValueError: No media given.
        """
        if not media:
            raise ValueError("an RTP mountpoint needs at least one stream (media)")
        body = request_body(
            "create",
            type="rtp",
            media=[m.to_wire() for m in media],
            id=id,
            name=name,
            description=description,
            metadata=metadata,
            secret=secret,
            pin=pin,
            is_private=is_private,
            permanent=permanent,
            admin_key=admin_key,
            collision=collision,
            threads=threads,
            srtpsuite=srtpsuite,
            srtpcrypto=srtpcrypto,
            e2ee=e2ee,
            playoutdelay_ext=playoutdelay_ext,
        )
        return await self._create(body, timeout)

    async def create_file_mountpoint(
        self,
        filename: str,
        *,
        mode: Literal["live", "ondemand"] = "live",
        audiocodec: str = "opus",
        audiopt: int = 111,
        audiofmtp: str | None = None,
        id: MountpointId | None = None,
        name: str | None = None,
        description: str | None = None,
        metadata: str | None = None,
        secret: str | None = None,
        pin: str | None = None,
        is_private: bool | None = None,
        permanent: bool | None = None,
        admin_key: str | None = None,
        timeout: float | None = None,
    ) -> MountpointCreated:
        """Create a mountpoint that plays an audio file (``create``, ``live`` or ``ondemand``).

        Janus 1.1.2 plays Ogg Opus (``.opus``) files, and raw mu-law/a-law files, audio only;
        a ``live`` mountpoint plays one shared loop to every viewer, an ``ondemand`` one plays
        the file from its start for each viewer.

        Args:
            filename: The file, on the Janus host.
            mode: ``"live"`` or ``"ondemand"``.
            audiocodec: ``"opus"``, ``"pcmu"`` or ``"pcma"``.
            audiopt: The payload type offered to viewers.
            audiofmtp: SDP ``fmtp`` parameters, if any.
            id: As for :meth:`create_rtp_mountpoint`.
            name: As for :meth:`create_rtp_mountpoint`.
            description: As for :meth:`create_rtp_mountpoint`.
            metadata: As for :meth:`create_rtp_mountpoint`.
            secret: As for :meth:`create_rtp_mountpoint`.
            pin: As for :meth:`create_rtp_mountpoint`.
            is_private: As for :meth:`create_rtp_mountpoint`.
            permanent: As for :meth:`create_rtp_mountpoint`.
            admin_key: As for :meth:`create_rtp_mountpoint`.
            timeout: Seconds to wait for Janus.

        Raises:
            CantCreateError: No such file, or a format Janus cannot play.
        """
        body = request_body(
            "create",
            type=mode,
            filename=filename,
            audio=True,
            audiocodec=audiocodec,
            audiopt=audiopt,
            audiofmtp=audiofmtp,
            id=id,
            name=name,
            description=description,
            metadata=metadata,
            secret=secret,
            pin=pin,
            is_private=is_private,
            permanent=permanent,
            admin_key=admin_key,
        )
        return await self._create(body, timeout)

    async def create_rtsp_mountpoint(
        self,
        url: str,
        *,
        audio: bool = True,
        video: bool = True,
        rtsp_user: str | None = None,
        rtsp_pwd: str | None = None,
        rtsp_quirk: bool | None = None,
        rtsp_failcheck: bool | None = None,
        rtspiface: str | None = None,
        rtsp_reconnect_delay: int | None = None,
        rtsp_session_timeout: int | None = None,
        rtsp_timeout: int | None = None,
        rtsp_conn_timeout: int | None = None,
        audiocodec: str | None = None,
        audiopt: int | None = None,
        audiofmtp: str | None = None,
        videocodec: str | None = None,
        videopt: int | None = None,
        videofmtp: str | None = None,
        videobufferkf: bool | None = None,
        threads: int | None = None,
        id: MountpointId | None = None,
        name: str | None = None,
        description: str | None = None,
        metadata: str | None = None,
        secret: str | None = None,
        pin: str | None = None,
        is_private: bool | None = None,
        permanent: bool | None = None,
        admin_key: str | None = None,
        timeout: float | None = None,
    ) -> MountpointCreated:
        """Create a mountpoint that restreams an RTSP source (``create``, type ``rtsp``).

        The Debian build of Janus 1.1.2 has RTSP (libcurl). With ``rtsp_failcheck`` (the
        default) Janus connects at once and answers :class:`CantCreateError` when it cannot.

        Args:
            url: The RTSP URL.
            audio: Take the source's audio.
            video: Take the source's video.
            rtsp_user: The RTSP user name, if needed.
            rtsp_pwd: The RTSP password, if needed.
            rtsp_quirk: Retry DESCRIBE with the path only after a 404.
            rtsp_failcheck: Fail the creation when the source cannot be reached.
            rtspiface: The interface or address to receive on.
            rtsp_reconnect_delay: Seconds without media before reconnecting.
            rtsp_session_timeout: Upper bound of the keep-alive period, seconds.
            rtsp_timeout: Timeout of the RTSP requests, seconds.
            rtsp_conn_timeout: Connection timeout, seconds.
            audiocodec: Audio codec to offer, if not the source's.
            audiopt: Audio payload type to offer.
            audiofmtp: Audio SDP ``fmtp``.
            videocodec: Video codec to offer.
            videopt: Video payload type to offer.
            videofmtp: Video SDP ``fmtp``.
            videobufferkf: Keep the last keyframe for new viewers.
            threads: Helper threads for the relaying.
            id: As for :meth:`create_rtp_mountpoint`.
            name: As for :meth:`create_rtp_mountpoint`.
            description: As for :meth:`create_rtp_mountpoint`.
            metadata: As for :meth:`create_rtp_mountpoint`.
            secret: As for :meth:`create_rtp_mountpoint`.
            pin: As for :meth:`create_rtp_mountpoint`.
            is_private: As for :meth:`create_rtp_mountpoint`.
            permanent: As for :meth:`create_rtp_mountpoint`.
            admin_key: As for :meth:`create_rtp_mountpoint`.
            timeout: Seconds to wait for Janus (the RTSP handshake happens in the request).
        """
        body = request_body(
            "create",
            type="rtsp",
            url=url,
            audio=audio,
            video=video,
            rtsp_user=rtsp_user,
            rtsp_pwd=rtsp_pwd,
            rtsp_quirk=rtsp_quirk,
            rtsp_failcheck=rtsp_failcheck,
            rtspiface=rtspiface,
            rtsp_reconnect_delay=rtsp_reconnect_delay,
            rtsp_session_timeout=rtsp_session_timeout,
            rtsp_timeout=rtsp_timeout,
            rtsp_conn_timeout=rtsp_conn_timeout,
            audiocodec=audiocodec,
            audiopt=audiopt,
            audiofmtp=audiofmtp,
            videocodec=videocodec,
            videopt=videopt,
            videofmtp=videofmtp,
            videobufferkf=videobufferkf,
            threads=threads,
            id=id,
            name=name,
            description=description,
            metadata=metadata,
            secret=secret,
            pin=pin,
            is_private=is_private,
            permanent=permanent,
            admin_key=admin_key,
        )
        return await self._create(body, timeout)

    async def edit_mountpoint(
        self,
        id: MountpointId,
        *,
        secret: str | None = None,
        new_description: str | None = None,
        new_metadata: str | None = None,
        new_secret: str | None = None,
        new_pin: str | None = None,
        new_is_private: bool | None = None,
        permanent: bool | None = None,
        edited_event: bool | None = None,
        timeout: float | None = None,
    ) -> MountpointEdited:
        """Change a mountpoint's description, metadata, secret, pin or visibility (``edit``).

        Args:
            id: The mountpoint.
            secret: Its secret, if it has one.
            new_description: A new description.
            new_metadata: New metadata.
            new_secret: A new secret.
            new_pin: A new pin (``""`` removes the pin).
            new_is_private: Hide it from ``list``, or not.
            permanent: Also save the change in the configuration file.
            edited_event: Tell the viewers (a :class:`~janus_streaming.MetadataEdited` event).
            timeout: Seconds to wait for Janus.

        Raises:
            NoSuchMountpointError: No such mountpoint.
            StreamingUnauthorizedError: Wrong secret.
        """
        body = request_body(
            "edit",
            id=id,
            secret=secret,
            new_description=new_description,
            new_metadata=new_metadata,
            new_secret=new_secret,
            new_pin=new_pin,
            new_is_private=new_is_private,
            permanent=permanent,
            edited_event=edited_event,
        )
        data = await self._ask(body, timeout)
        ident = id_or_none(data.get("id"))
        return MountpointEdited(
            id=ident if ident is not None else id, permanent=data.get("permanent") is True
        )

    async def destroy_mountpoint(
        self,
        id: MountpointId,
        *,
        secret: str | None = None,
        permanent: bool | None = None,
        timeout: float | None = None,
    ) -> None:
        """Destroy a mountpoint (``destroy``); its viewers get :class:`~janus_streaming.Stopped`.

        Raises:
            NoSuchMountpointError: No such mountpoint.
            StreamingUnauthorizedError: Wrong secret.
        """
        await self._ask(request_body("destroy", id=id, secret=secret, permanent=permanent), timeout)

    async def record_mountpoint(
        self,
        id: MountpointId,
        files: Mapping[str, str],
        *,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> None:
        """Start recording streams of an RTP mountpoint to ``.mjr`` files (``recording``).

        Args:
            id: The mountpoint.
            files: The base path of each stream's recording, by mid (Janus adds ``.mjr``;
                the folder must not be one of Janus's ``protected_folders``).
            secret: Its secret, if it has one.
            timeout: Seconds to wait for Janus.

        Raises:
            CantRecordError: A stream cannot be recorded.
            ValueError: No stream given.
        """
        if not files:
            raise ValueError("record_mountpoint needs at least one mid and file name")
        media = [{"mid": mid, "filename": filename} for mid, filename in files.items()]
        body = request_body("recording", action="start", id=id, secret=secret, media=media)
        await self._ask(body, timeout)

    async def stop_mountpoint_recording(
        self,
        id: MountpointId,
        mids: Sequence[str],
        *,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> None:
        """Stop recording streams of an RTP mountpoint (``recording``, action ``stop``).

        Raises:
            ValueError: No stream given.
        """
        if not mids:
            raise ValueError("stop_mountpoint_recording needs at least one mid")
        media = [{"mid": mid} for mid in mids]
        body = request_body("recording", action="stop", id=id, secret=secret, media=media)
        await self._ask(body, timeout)

    async def enable_mountpoint(
        self, id: MountpointId, *, secret: str | None = None, timeout: float | None = None
    ) -> None:
        """Let viewers watch a disabled mountpoint again (``enable``)."""
        await self._ask(request_body("enable", id=id, secret=secret), timeout)

    async def disable_mountpoint(
        self,
        id: MountpointId,
        *,
        secret: str | None = None,
        stop_recording: bool = False,
        timeout: float | None = None,
    ) -> None:
        """Keep viewers from watching a mountpoint, without destroying it (``disable``).

        Args:
            id: The mountpoint.
            secret: Its secret, if it has one.
            stop_recording: Also close its recordings. Off by default, unlike Janus's own
                default: Janus 1.1.2 crashes (a NULL recorder is dereferenced in
                ``janus_streaming.c``) when it closes the recordings of an RTP mountpoint
                one of whose streams is not being recorded. Only set it while every stream
                records.
            timeout: Seconds to wait for Janus.
        """
        body = request_body("disable", id=id, secret=secret, stop_recording=stop_recording)
        await self._ask(body, timeout)

    async def kick_all(
        self, id: MountpointId, *, secret: str | None = None, timeout: float | None = None
    ) -> None:
        """End every viewer's watching of a mountpoint (``kick_all``).

        The viewers get :class:`~janus_streaming.Kicked` and their PeerConnection closes; they
        may watch again. (Janus 1.1.2 has no request to kick one viewer: ``kick_all`` is it.)
        """
        await self._ask(request_body("kick_all", id=id, secret=secret), timeout)

    # -- watching (asynchronous requests) ---------------------------------------------------

    async def watch(
        self,
        id: MountpointId,
        *,
        pin: str | None = None,
        media: Sequence[str] | None = None,
        answer: bool = True,
        timeout: float | None = None,
    ) -> Preparing:
        """Watch a mountpoint (``watch``): Janus offers its streams, this handle answers.

        Args:
            id: The mountpoint.
            pin: Its pin, if it has one.
            media: The mids to receive (all when None).
            answer: Answer Janus's offer at once (``start`` with the answer). With False, call
                :meth:`start` with the returned ``jsep`` yourself.
            timeout: Seconds to wait for Janus.

        Returns:
            The ``preparing`` event; its ``jsep`` is Janus's offer.

        Raises:
            NoSuchMountpointError: No such mountpoint.
            StreamingUnauthorizedError: Wrong pin.
            MissingElementError: The mountpoint has a pin and none was given.
            StateError: This handle already watches a mountpoint.
        """
        if self._watching is not None:
            raise StateError(
                f"cannot watch: handle {self.id} watches mountpoint {self._watching} "
                "(stop() first, or switch())"
            )
        body = request_body("watch", id=id, pin=pin, media=list(media) if media else None)
        response = await self.send(body, timeout=timeout)
        preparing = expect(parse_response(response), Preparing, "watch")
        self._watching = id
        if answer:
            if preparing.jsep is None:
                raise ProtocolError("the Streaming plugin prepared a viewer without an offer")
            await self.start(offer=preparing.jsep, timeout=timeout)
        return preparing

    async def start(
        self, *, offer: Jsep | None = None, timeout: float | None = None
    ) -> StatusEvent:
        """Answer Janus's offer and start the playout, or resume after :meth:`pause`.

        Args:
            offer: Janus's offer to answer (from :meth:`watch`); None resumes.
            timeout: Seconds to wait for Janus.

        Returns:
            :class:`~janus_streaming.Starting` (media flows once the PeerConnection is up) or
            :class:`~janus_streaming.Started`.

        Raises:
            NoSuchMountpointError: Not watching.
        """
        body = request_body("start")
        if offer is not None:
            response = await self.accept_offer(offer, body, timeout=timeout)
        else:
            response = await self.send(body, timeout=timeout)
        return expect(parse_response(response), StatusEvent, "start")

    async def pause(self, *, timeout: float | None = None) -> Pausing:
        """Pause every stream, keeping the PeerConnection; :meth:`start` resumes (``pause``)."""
        response = await self.send(request_body("pause"), timeout=timeout)
        return expect(parse_response(response), Pausing, "pause")

    async def configure(
        self,
        *,
        mid: str | None = None,
        send: bool | None = None,
        substream: int | None = None,
        temporal: int | None = None,
        fallback: int | None = None,
        spatial_layer: int | None = None,
        temporal_layer: int | None = None,
        min_delay: int | None = None,
        max_delay: int | None = None,
        timeout: float | None = None,
    ) -> Configured:
        """Change what is relayed of one stream (``configure``).

        Args:
            mid: The stream (all of them for ``send`` when None).
            send: Relay it (True) or not (False).
            substream: Simulcast substream to receive (0-2).
            temporal: Simulcast temporal layer to receive (0-2).
            fallback: Microseconds without packets before dropping to a lower substream.
            spatial_layer: VP9-SVC spatial layer to receive.
            temporal_layer: VP9-SVC temporal layer to receive.
            min_delay: Playout-delay minimum, in 10 ms units.
            max_delay: Playout-delay maximum, in 10 ms units.
            timeout: Seconds to wait for Janus.

        Janus 1.1.2 resumes a stream turned back on with ``send=True`` without renumbering
        its packets, and aiortc's video jitter buffer only decodes past such a gap after 512
        packets (many seconds). Turn a stream back on between :meth:`pause` and :meth:`start`
        (``start`` makes Janus renumber) to see it again at once.
        """
        body = request_body(
            "configure",
            mid=mid,
            send=send,
            substream=substream,
            temporal=temporal,
            fallback=fallback,
            spatial_layer=spatial_layer,
            temporal_layer=temporal_layer,
            min_delay=min_delay,
            max_delay=max_delay,
        )
        response = await self.send(body, timeout=timeout)
        return expect(parse_response(response), Configured, "configure")

    async def switch(self, id: MountpointId, *, timeout: float | None = None) -> Switched:
        """Watch another live RTP mountpoint on the same PeerConnection (``switch``).

        Both mountpoints must have the same streams (codecs, payload types), as a TV changes
        channel.

        Raises:
            CantSwitchError: One of them is not a live RTP mountpoint.
            NoSuchMountpointError: No such mountpoint, or not watching.
        """
        response = await self.send(request_body("switch", id=id), timeout=timeout)
        switched = expect(parse_response(response), Switched, "switch")
        self._watching = switched.id if switched.id is not None else id
        return switched

    async def stop(self, *, timeout: float | None = None) -> Stopping:
        """Stop watching: Janus closes the PeerConnection (``stop``); the handle stays.

        Waits until the local PeerConnection is closed too, so a :meth:`watch` right after
        starts cleanly.

        Raises:
            StateError: Not watching (Janus 1.1.2 never answers a ``stop`` then).
        """
        if self._watching is None:
            raise StateError(f"cannot stop: handle {self.id} watches no mountpoint")
        closed = self.wait_for(
            ConnectionStateChanged,
            predicate=lambda e: e.state == "closed" and self.peer_connection is None,
            timeout=self.hangup_timeout,
        )
        if self.peer_connection is None:
            closed.cancel()
        try:
            response = await self.send(request_body("stop"), timeout=timeout)
        except BaseException:
            closed.cancel()
            raise
        self._watching = None
        if self.peer_connection is not None:
            try:
                await closed
            except JanusTimeoutError:
                logger.debug("handle %d: Janus did not hang up in time; hanging up", self.id)
                with contextlib.suppress(JanusTimeoutError):
                    await self.hangup(timeout=timeout)
        return expect(parse_response(response), Stopping, "stop")
