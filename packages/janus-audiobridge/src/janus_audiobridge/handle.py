"""The AudioBridge handle: room administration and participation, with real audio.

Every request of the AudioBridge plugin of Janus 1.1.2 (``src/plugins/janus_audiobridge.c``) is
one method with keyword-only, typed options and a typed result:

- rooms (synchronous in Janus): ``create``, ``edit``, ``destroy``, ``exists``, ``allowed``,
  ``kick``, ``kick_all``, ``list``, ``listparticipants``, ``mute``, ``unmute``, ``mute_room``,
  ``unmute_room``, ``enable_recording``, ``enable_mjrs``, ``resetdecoder``, ``rtp_forward``,
  ``stop_rtp_forward``, ``listforwarders``, ``play_file``, ``is_playing``, ``stop_file``;
  and ``suspend``, ``resume``, ``listannouncements``, which later Janus versions have
  (1.1.2 answers them with :class:`~janus_audiobridge.errors.InvalidRequestError`);
- participation (asynchronous): ``join`` (WebRTC or plain RTP), ``configure``,
  ``changeroom``, ``leave``, ``hangup``.

The client offers, Janus answers: :meth:`AudioBridgeHandle.join` offers the local audio track
with the ``join``. Plugin errors raise the
:class:`~janus_audiobridge.errors.AudioBridgeError` subclass of their code.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Literal

from janus_webrtc import (
    ConnectionStateChanged,
    Event,
    HangUp,
    JanusTimeoutError,
    MediaRejectedError,
    PluginError,
    PluginEvent,
    PluginResponse,
    ProtocolError,
    RecordingHandle,
    RecordingRefusedError,
    WebRTCHandle,
)
from janus_webrtc.plugin_kit import (
    bool_or_none,
    expect,
    id_or_none,
    int_or_none,
    mappings,
    request_body,
    require,
    str_or_none,
)
from janus_webrtc.recordings import Recordings

from .errors import (
    AudioBridgeError,
    AudioBridgeMediaRejectedError,
    AudioBridgeRecordingRefusedError,
    UnknownAudioBridgeError,
)
from .messages import (
    Configured,
    Forwarder,
    HangingUp,
    Joined,
    Kicked,
    KickedAll,
    Left,
    Participant,
    ParticipantId,
    RoomChanged,
    RoomCreated,
    RoomDestroyed,
    RoomId,
    RoomInfo,
    RtpForwarded,
    RtpParticipant,
    parse_event,
    parse_forwarders,
    parse_participants,
    parse_response,
    parse_rooms,
)

__all__ = ["PLUGIN_ID", "AllowedAction", "AudioBridgeHandle"]

PLUGIN_ID = "janus.plugin.audiobridge"

AllowedAction = Literal["enable", "disable", "add", "remove"]
"""What ``allowed`` does: enable or disable the token check, add or remove tokens."""

logger = logging.getLogger(__name__)
logger.addHandler(logging.NullHandler())


class AudioBridgeHandle(WebRTCHandle, RecordingHandle):
    """A handle on the AudioBridge plugin: manages rooms and takes part in one.

    The class of ``session.attach("audiobridge")``. Join a room with a tone::

        bridge = await session.attach(AudioBridgeHandle)
        bridge.configure_rtc(RTCConfiguration(iceServers=[]))
        bridge.add_track(ToneAudioTrack(frequency=440))
        heard = bridge.record_to(FrameCounter())
        await bridge.join(room, display="alice")

    Any handle can manage rooms, in one or not.

    Recordings Janus cannot open raise
    :class:`~janus_audiobridge.errors.AudioBridgeRecordingRefusedError`: the mix's always
    (``create_room``/``enable_recording`` with ``record=True`` read the room back, see
    ``mix_check``), this participant's (``record=True`` of :meth:`join` and
    :meth:`configure`) with a :attr:`~janus_webrtc.RecordingHandle.recording_check`
    (``RecordingCheck(admin=api)``: the room's ``mjrs_dir`` comes in front of the path).
    """

    plugin_id: ClassVar[str] = PLUGIN_ID
    error_class: ClassVar[type[PluginError]] = AudioBridgeError
    media_rejected_error: ClassVar[type[MediaRejectedError]] = AudioBridgeMediaRejectedError
    recording_refused_error: ClassVar[type[RecordingRefusedError]] = (
        AudioBridgeRecordingRefusedError
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._room: RoomId | None = None
        self._participant_id: ParticipantId | None = None

    @property
    def room(self) -> RoomId | None:
        """The room this handle is in, or None."""
        return self._room

    @property
    def participant_id(self) -> ParticipantId | None:
        """This handle's participant id in its room, or None."""
        return self._participant_id

    def parse_plugin_event(self, event: PluginEvent) -> Event:
        """Turn the plugin's events into the typed events of :mod:`janus_audiobridge.messages`."""
        return parse_event(event)

    def _event_received(self, event: Event) -> None:
        super()._event_received(event)
        if isinstance(event, Joined | RoomChanged) and event.id is not None:
            self._room, self._participant_id = event.room, event.id
        elif isinstance(event, HangUp):
            # Janus 1.1.2 takes a WebRTC participant out of its room when its media closes.
            self._room = self._participant_id = None
        elif (
            isinstance(event, Left | RoomDestroyed)
            or (isinstance(event, Kicked | KickedAll) and event.id == self._participant_id)
        ) and event.room == self._room:
            # Kicked: Janus closes the PeerConnection and drops the participant, with media
            # or without (a few ms after telling).
            self._room = self._participant_id = None

    async def _ask(self, body: Mapping[str, Any], timeout: float | None) -> Mapping[str, Any]:
        return (await self.send(body, timeout=timeout)).data

    # -- rooms ----------------------------------------------------------------------------

    async def create_room(
        self,
        room: RoomId | None = None,
        *,
        permanent: bool | None = None,
        description: str | None = None,
        secret: str | None = None,
        pin: str | None = None,
        is_private: bool | None = None,
        allowed: Sequence[str] | None = None,
        sampling_rate: int | None = None,
        spatial_audio: bool | None = None,
        audiolevel_ext: bool | None = None,
        audiolevel_event: bool | None = None,
        audio_active_packets: int | None = None,
        audio_level_average: int | None = None,
        default_prebuffering: int | None = None,
        default_expectedloss: int | None = None,
        default_bitrate: int | None = None,
        record: bool | None = None,
        record_file: str | None = None,
        record_dir: str | None = None,
        mjrs: bool | None = None,
        mjrs_dir: str | None = None,
        allow_rtp_participants: bool | None = None,
        groups: Sequence[str] | None = None,
        admin_key: str | None = None,
        mix_check: float | None = 0.2,
        timeout: float | None = None,
    ) -> RoomCreated:
        """Create a room (``create``).

        Args:
            room: Its id; Janus picks one when None.
            permanent: Also save it in the plugin's configuration file.
            description: A pretty name.
            secret: The secret needed to edit or destroy it (and for other admin requests).
            pin: The pin needed to join it.
            is_private: Hide it from ``list``.
            allowed: Tokens allowed to join (enables the check, see :meth:`allowed`).
            sampling_rate: The mixer's rate (16000 by default; 8000 to 48000).
            spatial_audio: Mix in stereo, placing each participant (``spatial_position``).
            audiolevel_ext: Negotiate the audio-level RTP extension (default True).
            audiolevel_event: Send talking events.
            audio_active_packets: Packets with audio level per talk check (default 100).
            audio_level_average: Average level that counts as talking (default 25).
            default_prebuffering: Packets buffered per participant before mixing.
            default_expectedloss: Expected loss percentage, for Opus FEC (0-20).
            default_bitrate: Opus bitrate of participants and forwarders (0: libopus decides).
            record: Record the mix to a ``.wav`` file (on the Janus host).
            record_file: The recording's file (Janus picks a name when None).
            record_dir: The recording's folder (``record_file`` is then relative to it).
            mjrs: Record each participant to its own ``.mjr`` file (not checked: each
                participant's handle can check its own, see :meth:`join`).
            mjrs_dir: The folder of the ``.mjr`` files.
            allow_rtp_participants: Let participants join with plain RTP (see :meth:`join`).
            groups: Group names to tag participants with (for forwarders).
            admin_key: The plugin's admin key, when it is configured with one.
            mix_check: With ``record``: seconds after which the room is read back (``list``)
                to see whether Janus could open the ``.wav`` file (its mixer tries on its next
                20 ms tick, and turns recording off when it cannot). None: not checked. Not
                checked either for a private room (``list`` does not show it).
            timeout: Seconds to wait for Janus.

        Raises:
            RoomExistsError: A room with that id exists.
            AudioBridgeUnauthorizedError: Wrong admin key.
            AudioBridgeRecordingRefusedError: ``record``, and Janus turned the recording off:
                it could not open the file. The room was created (its id is the error's
                ``room``), and is not recorded.
        """
        body = request_body(
            "create",
            room=room,
            permanent=permanent,
            description=description,
            secret=secret,
            pin=pin,
            is_private=is_private,
            allowed=list(allowed) if allowed is not None else None,
            sampling_rate=sampling_rate,
            spatial_audio=spatial_audio,
            audiolevel_ext=audiolevel_ext,
            audiolevel_event=audiolevel_event,
            audio_active_packets=audio_active_packets,
            audio_level_average=audio_level_average,
            default_prebuffering=default_prebuffering,
            default_expectedloss=default_expectedloss,
            default_bitrate=default_bitrate,
            record=record,
            record_file=record_file,
            record_dir=record_dir,
            mjrs=mjrs,
            mjrs_dir=mjrs_dir,
            allow_rtp_participants=allow_rtp_participants,
            groups=list(groups) if groups is not None else None,
            admin_key=admin_key,
        )
        data = await self._ask(body, timeout)
        ident = id_or_none(data.get("room"))
        if ident is None:  # (require() infers object for a union: checked by hand)
            raise ProtocolError(f"Janus sent no room id in the answer to 'create': {dict(data)}")
        if record and not is_private:
            await self._check_mix(ident, _mix_path(record_dir, record_file), mix_check, timeout)
        return RoomCreated(room=ident, permanent=data.get("permanent") is True)

    async def edit_room(
        self,
        room: RoomId,
        *,
        secret: str | None = None,
        new_description: str | None = None,
        new_secret: str | None = None,
        new_pin: str | None = None,
        new_is_private: bool | None = None,
        new_record_dir: str | None = None,
        new_mjrs_dir: str | None = None,
        permanent: bool | None = None,
        timeout: float | None = None,
    ) -> None:
        """Change a room's description, secret, pin, visibility or folders (``edit``).

        Args:
            room: The room.
            secret: Its secret, if it has one.
            new_description: A new description.
            new_secret: A new secret.
            new_pin: A new pin (``""`` removes it).
            new_is_private: Hide it from ``list``, or not.
            new_record_dir: A new folder for recordings of the mix.
            new_mjrs_dir: A new folder for ``.mjr`` recordings.
            permanent: Also save the change in the configuration file.
            timeout: Seconds to wait for Janus.
        """
        body = request_body(
            "edit",
            room=room,
            secret=secret,
            new_description=new_description,
            new_secret=new_secret,
            new_pin=new_pin,
            new_is_private=new_is_private,
            new_record_dir=new_record_dir,
            new_mjrs_dir=new_mjrs_dir,
            permanent=permanent,
        )
        await self._ask(body, timeout)

    async def destroy_room(
        self,
        room: RoomId,
        *,
        secret: str | None = None,
        permanent: bool | None = None,
        timeout: float | None = None,
    ) -> RoomDestroyed:
        """Destroy a room (``destroy``); its participants get ``RoomDestroyed`` too.

        Raises:
            NoSuchRoomError: No such room.
            AudioBridgeUnauthorizedError: Wrong secret.
        """
        body = request_body("destroy", room=room, secret=secret, permanent=permanent)
        response = await self.send(body, timeout=timeout)
        return expect(parse_response(response), RoomDestroyed, "destroy")

    async def exists(self, room: RoomId, *, timeout: float | None = None) -> bool:
        """Whether a room exists (``exists``)."""
        data = await self._ask(request_body("exists", room=room), timeout)
        return bool_or_none(data.get("exists")) is True

    async def allowed(
        self,
        room: RoomId,
        action: AllowedAction,
        *,
        allowed: Sequence[str] = (),
        secret: str | None = None,
        timeout: float | None = None,
    ) -> tuple[str, ...]:
        """Turn the room's token check on or off, or add or remove tokens (``allowed``).

        Returns:
            The room's tokens now (empty after ``disable``).
        """
        body = request_body(
            "allowed", room=room, action=action, secret=secret, allowed=list(allowed) or None
        )
        data = await self._ask(body, timeout)
        tokens = data.get("allowed")
        return tuple(t for t in tokens if isinstance(t, str)) if isinstance(tokens, list) else ()

    async def kick(
        self,
        room: RoomId,
        participant_id: ParticipantId,
        *,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> None:
        """Kick a participant out of a room (``kick``); it may join again.

        Raises:
            NoSuchUserError: No such participant.
        """
        await self._ask(request_body("kick", room=room, id=participant_id, secret=secret), timeout)

    async def kick_all(
        self, room: RoomId, *, secret: str | None = None, timeout: float | None = None
    ) -> None:
        """Kick every participant out of a room (``kick_all``)."""
        await self._ask(request_body("kick_all", room=room, secret=secret), timeout)

    async def suspend(
        self,
        room: RoomId,
        participant_id: ParticipantId,
        *,
        secret: str | None = None,
        pause_events: bool | None = None,
        stop_record: bool | None = None,
        timeout: float | None = None,
    ) -> None:
        """Take a participant out of the mix without kicking it (``suspend``).

        A request of later Janus versions: Janus 1.1.2 answers
        :class:`~janus_audiobridge.errors.InvalidRequestError`.
        """
        body = request_body(
            "suspend",
            room=room,
            id=participant_id,
            secret=secret,
            pause_events=pause_events,
            stop_record=stop_record,
        )
        await self._ask(body, timeout)

    async def resume(
        self,
        room: RoomId,
        participant_id: ParticipantId,
        *,
        secret: str | None = None,
        record: bool | None = None,
        filename: str | None = None,
        timeout: float | None = None,
    ) -> None:
        """Put a suspended participant back in the mix (``resume``).

        A request of later Janus versions: Janus 1.1.2 answers
        :class:`~janus_audiobridge.errors.InvalidRequestError`.
        """
        body = request_body(
            "resume", room=room, id=participant_id, secret=secret, record=record, filename=filename
        )
        await self._ask(body, timeout)

    async def list_rooms(self, *, timeout: float | None = None) -> tuple[RoomInfo, ...]:
        """List the public rooms (``list``)."""
        data = await self._ask(request_body("list"), timeout)
        return parse_rooms(data.get("list"))

    async def list_participants(
        self, room: RoomId, *, timeout: float | None = None
    ) -> tuple[Participant, ...]:
        """List a room's participants (``listparticipants``).

        Raises:
            NoSuchRoomError: No such room.
        """
        data = await self._ask(request_body("listparticipants", room=room), timeout)
        return parse_participants(data.get("participants"))

    async def list_announcements(
        self, room: RoomId, *, secret: str | None = None, timeout: float | None = None
    ) -> tuple[str, ...]:
        """List the file playbacks of a room, by ``file_id`` (``listannouncements``).

        A request of later Janus versions: Janus 1.1.2 answers
        :class:`~janus_audiobridge.errors.InvalidRequestError`; use :meth:`is_playing`.
        """
        data = await self._ask(request_body("listannouncements", room=room, secret=secret), timeout)
        return tuple(
            file_id
            for item in mappings(data.get("announcements"))
            if (file_id := str_or_none(item.get("file_id"))) is not None
        )

    async def mute(
        self,
        room: RoomId,
        participant_id: ParticipantId,
        *,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> None:
        """Mute a participant (``mute``): it is left out of the mix."""
        await self._ask(request_body("mute", room=room, id=participant_id, secret=secret), timeout)

    async def unmute(
        self,
        room: RoomId,
        participant_id: ParticipantId,
        *,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> None:
        """Unmute a participant (``unmute``)."""
        await self._ask(
            request_body("unmute", room=room, id=participant_id, secret=secret), timeout
        )

    async def mute_room(
        self, room: RoomId, *, secret: str | None = None, timeout: float | None = None
    ) -> None:
        """Mute every participant but those who joined with the secret (``mute_room``)."""
        await self._ask(request_body("mute_room", room=room, secret=secret), timeout)

    async def unmute_room(
        self, room: RoomId, *, secret: str | None = None, timeout: float | None = None
    ) -> None:
        """Unmute the room (``unmute_room``)."""
        await self._ask(request_body("unmute_room", room=room, secret=secret), timeout)

    async def enable_recording(
        self,
        room: RoomId,
        *,
        record: bool,
        secret: str | None = None,
        record_file: str | None = None,
        record_dir: str | None = None,
        mix_check: float | None = 0.2,
        timeout: float | None = None,
    ) -> None:
        """Start or stop recording the mix to a ``.wav`` file (``enable_recording``).

        Args:
            room: The room.
            record: Start (True) or stop (False).
            secret: The room's secret.
            record_file: The file (on the Janus host; Janus picks a name when None). Janus 1.1.2
                changes the file (and folder) only when the recording state changes.
            record_dir: Its folder (Janus creates it).
            mix_check: As for :meth:`create_room`.
            timeout: Seconds to wait for Janus.

        Raises:
            AudioBridgeRecordingRefusedError: Janus could not create ``record_dir`` (it
                answers 499 "mkdir error", kept as ``error_code``), or turned the recording
                off because it could not open the file.
        """
        body = request_body(
            "enable_recording",
            room=room,
            record=record,
            secret=secret,
            record_file=record_file,
            record_dir=record_dir,
        )
        path = _mix_path(record_dir, record_file)
        try:
            await self._ask(body, timeout)
        except UnknownAudioBridgeError as exc:
            if not (record and record_dir is not None):
                raise
            # The one 499 of enable_recording (janus_audiobridge.c): janus_mkdir failed.
            raise AudioBridgeRecordingRefusedError(
                f"Janus could not create the folder {record_dir!r} of the recording of room "
                f"{room}: {exc.error}",
                plugin=exc.plugin,
                refused=("mix",),
                filename=path,
                error_code=exc.error_code,
                room=room,
            ) from exc
        if record:
            await self._check_mix(room, path, mix_check, timeout)

    async def _check_mix(
        self, room: RoomId, path: str | None, delay: float | None, timeout: float | None
    ) -> None:
        """Raise if Janus turned the recording of ``room``'s mix off after ``delay`` seconds.

        Janus 1.1.2's mixer thread opens the ``.wav`` on its next tick (every 20 ms) after
        recording was turned on; when ``fopen`` fails it logs a warning and sets the room's
        ``record`` back to false (``janus_audiobridge_rec_add_wav_header``). A mixer slower
        than ``delay`` escapes the check (the recording is then reported as started).
        """
        if delay is None:
            return
        await asyncio.sleep(delay)
        for info in await self.list_rooms(timeout=timeout):
            if info.room == room:
                if info.record is False:
                    where = f" {path!r}" if path is not None else ""
                    raise AudioBridgeRecordingRefusedError(
                        f"Janus could not open the recording{where} of the mix of room {room}: "
                        "it turned recording off (its log says why)",
                        plugin=self.plugin,
                        refused=("mix",),
                        filename=path,
                        room=room,
                    )
                return

    async def enable_mjrs(
        self,
        room: RoomId,
        *,
        mjrs: bool,
        secret: str | None = None,
        mjrs_dir: str | None = None,
        timeout: float | None = None,
    ) -> None:
        """Start or stop recording every participant to ``.mjr`` files (``enable_mjrs``)."""
        body = request_body("enable_mjrs", room=room, mjrs=mjrs, secret=secret, mjrs_dir=mjrs_dir)
        await self._ask(body, timeout)

    async def reset_decoder(self, *, timeout: float | None = None) -> None:
        """Recreate this participant's Opus decoder, for garbled audio (``resetdecoder``)."""
        await self._ask(request_body("resetdecoder"), timeout)

    # -- forwarders and playback ------------------------------------------------------------

    async def rtp_forward(
        self,
        room: RoomId,
        *,
        host: str,
        port: int,
        secret: str | None = None,
        group: str | None = None,
        ssrc: int | None = None,
        codec: Literal["opus", "pcma", "pcmu"] | None = None,
        ptype: int | None = None,
        host_family: Literal["ipv4", "ipv6"] | None = None,
        srtp_suite: int | None = None,
        srtp_crypto: str | None = None,
        always_on: bool | None = None,
        admin_key: str | None = None,
        timeout: float | None = None,
    ) -> RtpForwarded:
        """Send the room's mix as plain RTP to ``host:port`` (``rtp_forward``).

        Args:
            room: The room.
            host: The destination address.
            port: The destination port.
            secret: The room's secret, if it has one.
            group: Forward only the mix of this group of participants.
            ssrc: The SSRC to use (the forwarder's id when None).
            codec: ``"opus"`` (default), ``"pcma"`` or ``"pcmu"``.
            ptype: The payload type (Opus; 100 when None).
            host_family: Resolve ``host`` as IPv4 or IPv6.
            srtp_suite: SRTP authentication tag length (32 or 80), to encrypt.
            srtp_crypto: The SRTP key (base64, as in SDES).
            always_on: Send silence while the room is empty.
            admin_key: The plugin's admin key, when forwarding needs it.
            timeout: Seconds to wait for Janus.

        Returns:
            The new forwarder, with its ``stream_id``.
        """
        body = request_body(
            "rtp_forward",
            room=room,
            host=host,
            port=port,
            secret=secret,
            group=group,
            ssrc=ssrc,
            codec=codec,
            ptype=ptype,
            host_family=host_family,
            srtp_suite=srtp_suite,
            srtp_crypto=srtp_crypto,
            always_on=always_on,
            admin_key=admin_key,
        )
        data = await self._ask(body, timeout)
        stream_id = require(int_or_none(data.get("stream_id")), "stream_id of a forwarder")
        ident = id_or_none(data.get("room"))
        return RtpForwarded(
            room=ident if ident is not None else room,
            stream_id=stream_id,
            host=str_or_none(data.get("host")),
            port=int_or_none(data.get("port")),
            group=str_or_none(data.get("group")),
        )

    async def stop_rtp_forward(
        self,
        room: RoomId,
        stream_id: int,
        *,
        secret: str | None = None,
        admin_key: str | None = None,
        timeout: float | None = None,
    ) -> None:
        """Stop an RTP forwarder (``stop_rtp_forward``)."""
        body = request_body(
            "stop_rtp_forward", room=room, stream_id=stream_id, secret=secret, admin_key=admin_key
        )
        await self._ask(body, timeout)

    async def list_forwarders(
        self, room: RoomId, *, secret: str | None = None, timeout: float | None = None
    ) -> tuple[Forwarder, ...]:
        """List a room's RTP forwarders (``listforwarders``)."""
        data = await self._ask(request_body("listforwarders", room=room, secret=secret), timeout)
        return parse_forwarders(data.get("rtp_forwarders"))

    async def play_file(
        self,
        room: RoomId,
        filename: str,
        *,
        secret: str | None = None,
        group: str | None = None,
        file_id: str | None = None,
        loop: bool | None = None,
        admin_key: str | None = None,
        timeout: float | None = None,
    ) -> str:
        """Play an Ogg Opus file (on the Janus host) into the room's mix (``play_file``).

        Args:
            room: The room.
            filename: The ``.opus`` file.
            secret: The room's secret, if it has one.
            group: The group to play it in (rooms with groups).
            file_id: An id for the playback; Janus picks one when None.
            loop: Play it again and again until :meth:`stop_file`.
            admin_key: The plugin's admin key, when playing needs it.
            timeout: Seconds to wait for Janus.

        Returns:
            The playback's ``file_id``. The participants get ``AnnouncementStarted``, then
            ``AnnouncementStopped`` at its end.

        Raises:
            UnknownAudioBridgeError: The file cannot be opened or is not Ogg Opus.
        """
        body = request_body(
            "play_file",
            room=room,
            filename=filename,
            secret=secret,
            group=group,
            file_id=file_id,
            loop=loop,
            admin_key=admin_key,
        )
        data = await self._ask(body, timeout)
        return require(str_or_none(data.get("file_id")), "file_id of a playback")

    async def is_playing(
        self,
        room: RoomId,
        file_id: str,
        *,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> bool:
        """Whether a playback is still going on (``is_playing``)."""
        body = request_body("is_playing", room=room, file_id=file_id, secret=secret)
        data = await self._ask(body, timeout)
        return bool_or_none(data.get("playing")) is True

    async def stop_file(
        self,
        room: RoomId,
        file_id: str,
        *,
        secret: str | None = None,
        timeout: float | None = None,
    ) -> None:
        """Stop a playback (``stop_file``)."""
        await self._ask(
            request_body("stop_file", room=room, file_id=file_id, secret=secret), timeout
        )

    # -- taking part --------------------------------------------------------------------------

    def _offers(self) -> bool:
        """Whether the next join/configure should carry an offer of the local audio."""
        return bool(self.local_tracks) and self.peer_connection is None

    async def _negotiated(self, body: Mapping[str, Any], timeout: float | None) -> PluginResponse:
        if self._offers():
            return await self.negotiate_offer(body, timeout=timeout)
        return await self.send(body, timeout=timeout)

    async def join(
        self,
        room: RoomId,
        *,
        id: ParticipantId | None = None,
        display: str | None = None,
        pin: str | None = None,
        token: str | None = None,
        group: str | None = None,
        muted: bool | None = None,
        codec: Literal["opus", "pcma", "pcmu"] | None = None,
        prebuffer: int | None = None,
        bitrate: int | None = None,
        quality: int | None = None,
        expected_loss: int | None = None,
        volume: int | None = None,
        spatial_position: int | None = None,
        secret: str | None = None,
        audio_level_average: int | None = None,
        audio_active_packets: int | None = None,
        record: bool | None = None,
        filename: str | None = None,
        rtp: RtpParticipant | None = None,
        generate_offer: bool = False,
        timeout: float | None = None,
    ) -> Joined:
        """Join a room (``join``), offering the local audio track if there is one.

        With a local track (``add_track``) and no PeerConnection yet, the ``join`` carries an
        offer and Janus's answer is applied: the mix is heard and the track mixed once ICE is
        up. With ``rtp``, the participant uses plain RTP instead: send audio to
        ``Joined.rtp`` (Janus sends the mix once it got a first packet).

        Args:
            room: The room.
            id: The participant id; Janus picks one when None.
            display: A display name.
            pin: The room's pin, if it has one.
            token: An allowed token, if the room checks them.
            group: The participant's group (rooms with groups).
            muted: Join muted.
            codec: ``"opus"`` (default), ``"pcma"`` or ``"pcmu"`` (plain RTP).
            prebuffer: Packets buffered before mixing this participant.
            bitrate: The Opus bitrate of what this participant hears (0: libopus decides).
            quality: Opus encoder complexity, 0-10 (default 4).
            expected_loss: Expected loss percentage for Opus FEC, 0-20.
            volume: Volume percentage of this participant in the mix (100: unchanged).
            spatial_position: Panning, 0 (left) to 100 (right), in spatial-audio rooms.
            secret: The room's secret: the participant is then an admin, not muted by
                ``mute_room``.
            audio_level_average: Override the room's talk-detection average.
            audio_active_packets: Override the room's talk-detection packet count.
            record: Record this participant to a ``.mjr`` file (``<filename>-audio.mjr``,
                under the room's ``mjrs_dir`` if it has one), checked with the handle's
                ``recording_check`` if it has one.
            filename: Base name of that recording.
            rtp: Join as a plain-RTP participant (rooms with ``allow_rtp_participants``).
            generate_offer: Let Janus offer (reversed roles, as for cascading mixers): the
                handle answers Janus's offer with a ``configure``. Renegotiations must then
                keep that pattern.
            timeout: Seconds to wait for Janus.

        Returns:
            The ``joined`` event: this participant's id, the others, and (plain RTP) where
            to send audio.

        Raises:
            NoSuchRoomError: No such room.
            AudioBridgeUnauthorizedError: Wrong pin or token.
            MissingElementError: The room has a pin and none was given.
            AlreadyJoinedError: This handle is in a room already (:meth:`change_room` moves).
            IdExistsError: The id is taken.
            AudioBridgeRecordingRefusedError: ``record`` and a ``recording_check``: Janus
                opened no recording; the participant is in the room, not recorded.
        """
        body = request_body(
            "join",
            room=room,
            id=id,
            display=display,
            pin=pin,
            token=token,
            group=group,
            muted=muted,
            codec=codec,
            prebuffer=prebuffer,
            bitrate=bitrate,
            quality=quality,
            expected_loss=expected_loss,
            volume=volume,
            spatial_position=spatial_position,
            secret=secret,
            audio_level_average=audio_level_average,
            audio_active_packets=audio_active_packets,
            record=record,
            filename=filename,
            rtp=rtp.to_wire() if rtp is not None else None,
            generate_offer=True if generate_offer else None,
        )
        if rtp is not None or generate_offer:
            response = await self.send(body, timeout=timeout)
        else:
            response = await self._negotiated(body, timeout)
        joined = expect(parse_response(response), Joined, "join")
        self._room = joined.room if joined.room is not None else room
        self._participant_id = joined.id
        if generate_offer:
            offer = require(joined.jsep, "offer in the answer to a 'join' with generate_offer")
            configured = await self.accept_offer(offer, request_body("configure"), timeout=timeout)
            expect(parse_response(configured), Configured, "configure")
        if record:
            await self._check_recording(filename, timeout)
        return joined

    async def configure(
        self,
        *,
        muted: bool | None = None,
        display: str | None = None,
        prebuffer: int | None = None,
        bitrate: int | None = None,
        quality: int | None = None,
        expected_loss: int | None = None,
        volume: int | None = None,
        spatial_position: int | None = None,
        record: bool | None = None,
        filename: str | None = None,
        group: str | None = None,
        update: bool = False,
        timeout: float | None = None,
    ) -> Configured:
        """Change this participant's settings (``configure``); offers media if due.

        Args:
            muted: Mute or unmute this participant.
            display: A new display name.
            prebuffer: As for :meth:`join`.
            bitrate: As for :meth:`join`.
            quality: As for :meth:`join`.
            expected_loss: As for :meth:`join`.
            volume: As for :meth:`join`.
            spatial_position: As for :meth:`join`.
            record: Start or stop recording this participant to ``.mjr`` (checked as for
                :meth:`join`).
            filename: Base name of that recording.
            group: A new group.
            update: Renegotiate: offer the current local media with this request. (An offer
                is also sent when there is a local track and no PeerConnection yet.)
            timeout: Seconds to wait for Janus.

        Raises:
            NotJoinedError: This handle is in no room.
            AudioBridgeRecordingRefusedError: As for :meth:`join`.
        """
        body = request_body(
            "configure",
            muted=muted,
            display=display,
            prebuffer=prebuffer,
            bitrate=bitrate,
            quality=quality,
            expected_loss=expected_loss,
            volume=volume,
            spatial_position=spatial_position,
            record=record,
            filename=filename,
            group=group,
        )
        if update:
            response = await self.negotiate_offer(body, timeout=timeout)
        else:
            response = await self._negotiated(body, timeout)
        configured = expect(parse_response(response), Configured, "configure")
        if record:
            await self._check_recording(filename, timeout)
        return configured

    def parse_recordings(self, plugin_specific: Mapping[str, Any]) -> Recordings:
        """Read a participant's ``handle_info``: its ``audio-recording``, when in a room."""
        if plugin_specific.get("state") != "inroom":
            return Recordings()
        name = plugin_specific.get("audio-recording")
        return Recordings(files={"audio": name} if isinstance(name, str) else {}, media=("audio",))

    async def _check_recording(self, filename: str | None, timeout: float | None) -> None:
        """Raise if this participant has no recording (with a recording check).

        Janus 1.1.2 opens it before it answers ``join`` or ``configure``, whatever the media.
        """
        await self._verify_recording(
            None,
            filename=filename,
            undo={"request": "configure", "record": False},
            timeout=timeout,
        )

    async def change_room(
        self,
        room: RoomId,
        *,
        id: ParticipantId | None = None,
        display: str | None = None,
        pin: str | None = None,
        token: str | None = None,
        group: str | None = None,
        muted: bool | None = None,
        bitrate: int | None = None,
        quality: int | None = None,
        expected_loss: int | None = None,
        timeout: float | None = None,
    ) -> RoomChanged:
        """Leave this room for another on the same PeerConnection (``changeroom``).

        Args: as for :meth:`join`.

        Raises:
            NoSuchRoomError: No such room.
            NotJoinedError: This handle is in no room.
        """
        body = request_body(
            "changeroom",
            room=room,
            id=id,
            display=display,
            pin=pin,
            token=token,
            group=group,
            muted=muted,
            bitrate=bitrate,
            quality=quality,
            expected_loss=expected_loss,
        )
        response = await self.send(body, timeout=timeout)
        changed = expect(parse_response(response), RoomChanged, "changeroom")
        self._room = changed.room if changed.room is not None else room
        self._participant_id = changed.id
        return changed

    async def leave(self, *, timeout: float | None = None) -> Left:
        """Leave the room (``leave``); the PeerConnection stays for a later :meth:`join`.

        Raises:
            NotJoinedError: This handle is in no room.
        """
        response = await self.send(request_body("leave"), timeout=timeout)
        left = expect(parse_response(response), Left, "leave")
        self._room = self._participant_id = None
        return left

    async def plugin_hangup(self, *, timeout: float | None = None) -> HangingUp:
        """The plugin's own ``hangup`` request: Janus closes this handle's PeerConnection.

        In Janus 1.1.2 a participant whose PeerConnection closes also leaves its room (the
        others get ``Leaving``), whichever way it closes: this request, the core ``hangup()``
        or ICE failing. Waits until the local PeerConnection is closed too; the handle can
        :meth:`join` again.
        """
        # Janus answers, then hangs up; the handle closes its peer connection on that hangup.
        closed = self.wait_for(
            ConnectionStateChanged,
            predicate=lambda e: e.state == "closed" and self.peer_connection is None,
            timeout=self.hangup_timeout,
        )
        had_media = self.peer_connection is not None
        try:
            response = await self.send(request_body("hangup"), timeout=timeout)
        except BaseException:
            closed.cancel()
            raise
        if had_media and self.peer_connection is not None:
            try:
                await closed
            except JanusTimeoutError:
                logger.debug("handle %d: no hangup from Janus in time; hanging up", self.id)
                with contextlib.suppress(JanusTimeoutError):
                    await self.hangup(timeout=timeout)
        else:
            closed.cancel()
        return expect(parse_response(response), HangingUp, "hangup")


def _mix_path(record_dir: str | None, record_file: str | None) -> str | None:
    """The path of a mix recording as Janus builds it (``record_dir/record_file``), if known."""
    if record_file is None:
        return record_dir
    return f"{record_dir}/{record_file}" if record_dir is not None else record_file
