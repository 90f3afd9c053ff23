"""WebRTC handles: a Janus handle that owns one aiortc ``RTCPeerConnection`` at a time.

:class:`WebRTCHandle` is the base of every plugin package's handle. It keeps all the media
work (negotiation in both directions, Janus's trickled candidates, local and remote tracks,
data channels, state, statistics and the release of every resource) so that a plugin method
is a thin mapping: build the request body, call :meth:`WebRTCHandle.negotiate_offer`,
:meth:`WebRTCHandle.accept_offer` or :meth:`~janus_webrtc.handle.Handle.send`, and return a
typed result.

Negotiation::

    handle.add_track(ToneAudioTrack())          # local media, kept across calls
    handle.add_track(TestPatternVideoTrack())
    response = await handle.negotiate_offer({"audio": True, "video": True})
    await handle.wait_connected()

ICE configuration: each handle uses :attr:`WebRTCHandle.rtc_configuration`, which defaults to
the connection's ``rtc_configuration`` attribute if it has one, else ``None``. ``None`` means
aiortc's default, which **contacts Google's public STUN server** (``stun.l.google.com``) while
gathering. On a LAN or on one machine, and in every test, pass
``RTCConfiguration(iceServers=[])`` through :meth:`WebRTCHandle.configure_rtc`.

Life cycle: the peer connection is created by the first negotiation (or the first data
channel), and closed by :meth:`WebRTCHandle.hangup_media` (what :meth:`WebRTCHandle.hangup`
does unless a plugin gives it more meaning) or a ``hangup`` from Janus; local tracks added
with :meth:`WebRTCHandle.add_track` survive a hangup, ready for the next call.
:meth:`~janus_webrtc.handle.Handle.detach` and :meth:`WebRTCHandle.close` (idempotent) release
everything: peer connection, local tracks and players, sinks, data channels and tasks.

ICE restart: aiortc 1.16 has no API for it; :meth:`WebRTCHandle.restart_ice` and the handling
of Janus-initiated restarts work on aioice's connection (in a private module, guarded by the
aioice versions it was tested on), keeping the pair in use. :meth:`WebRTCHandle.restart_media`
replaces the whole peer connection.

Not supported (aiortc 1.16 limits): sending trickled candidates (a complete SDP is sent
instead), simulcast sending.

Imports: this package (so every plugin package) imports no aiortc, aioice or PyAV; it only
checks that the ``media`` extra is installed, and says which extra to install when it is
not. The first peer connection imports them (the first negotiation, data channel or
receiver), so a handle used for signalling only (room management, listings) never loads
them. Inside, aiortc's names are imported for type checking at the top of each module and
at run time inside the code that runs once a peer connection exists.

Modules: :mod:`.handle` (the class and its negotiation), :mod:`.sink` (what ``record_to``
takes). ``WebRTCHandle`` is composed of private mixins, one job each, on a typed shared base:
state and statistics, local media, remote media and sinks, data channels, ICE restart, Janus's
events and trickle, hangup and close. Other private modules hold one call's state, local track
senders, offer/answer fitting, peer connection set-up and close, statistics, and the
aiortc/aioice repairs with the versions they were tested on.
"""

from __future__ import annotations

from .._extras import require_media
from ..errors import MediaRejectedError, PeerConnectionError, UnanswerableOfferError
from .handle import WebRTCHandle
from .sink import MediaSink, MidAwareSink, SinkT

# Defining the handle imports no media, but without the ``media`` extra a WebRTC handle is of
# no use: say which extra to install now rather than at the first negotiation. The extra
# itself is imported by the first peer connection (``_peer.open_peer_connection``).
require_media(__name__)

__all__ = [
    "MediaRejectedError",
    "MediaSink",
    "MidAwareSink",
    "PeerConnectionError",
    "SinkT",
    "UnanswerableOfferError",
    "WebRTCHandle",
]
