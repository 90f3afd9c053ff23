"""Fitting local tracks to Janus's offers, and reading what Janus's answers reject (private)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import UnanswerableOfferError
from ..messages import Candidate
from ..webrtc_sdp import MediaSection, media_sections
from ._local import Sender, sends

if TYPE_CHECKING:
    from aiortc import MediaStreamTrack, RTCIceCandidate

    from ._call import Call
    from ._local import LocalTrack


def short_kinds(
    call: Call,
    local: Sequence[LocalTrack],
    offer_sdp: str,
    extra: Sequence[MediaStreamTrack] = (),
) -> tuple[str, ...]:
    """The kinds an offer has too few free m-lines for, to carry the tracks not sent yet."""
    pending = [item.track.kind for item in local if item not in call.senders]
    pending.extend(track.kind for track in extra)
    if not pending:
        return ()
    used = {s.transceiver.mid for s in call.senders.values() if s.transceiver.mid is not None}
    if call.pc is not None:
        used.update(t.mid for t in call.pc.getTransceivers() if t.stopped and t.mid is not None)
    free = [s.kind for s in media_sections(offer_sdp) if not s.rejected and s.mid not in used]
    return tuple(sorted(kind for kind in set(pending) if pending.count(kind) > free.count(kind)))


def check_answerable(
    call: Call,
    local: Sequence[LocalTrack],
    offer_sdp: str,
    *,
    plugin: str,
    handle_id: int,
    extra: Sequence[MediaStreamTrack] = (),
) -> None:
    """Raise if an offer lacks an m-line for a local track not sent yet (or for ``extra``).

    Raises:
        UnanswerableOfferError: The offer has too few m-lines of a kind.
    """
    short = short_kinds(call, local, offer_sdp, extra)
    if short:
        raise UnanswerableOfferError(
            f"cannot answer the offer of {plugin}: it offers no {' or '.join(short)} "
            f"m-line free for the local {' and '.join(short)} track(s) of handle {handle_id} "
            "(remove_track the tracks it cannot carry)",
            kinds=short,
        )


def attach_to_offer(call: Call, local: Sequence[LocalTrack]) -> None:
    """Put local tracks not sent yet on free m-lines of their kind from Janus's offer."""
    if call.pc is None:
        return
    taken = {id(sender.transceiver) for sender in call.senders.values()}
    for item in local:
        if item in call.senders:
            continue
        for transceiver in call.pc.getTransceivers():
            if (
                transceiver.kind == item.track.kind
                and transceiver.mid is not None
                and not transceiver.stopped
                and not sends(transceiver)
                and id(transceiver) not in taken
            ):
                call.senders[item] = Sender.on(transceiver, item)
                taken.add(id(transceiver))
                break


def rejected_media(answer_sdp: str, *, unusable: bool = False) -> tuple[MediaSection, ...]:
    """The audio/video sections an answer rejects (port 0), or also those without codecs."""
    return tuple(
        section
        for section in media_sections(answer_sdp)
        if section.kind in ("audio", "video")
        and (section.rejected or (unusable and not section.codecs))
    )


def to_rtc_candidate(candidate: Candidate) -> RTCIceCandidate:
    """Turn a trickled candidate into aiortc's.

    Raises:
        ValueError: The candidate line cannot be read.
    """
    from aiortc.sdp import candidate_from_sdp

    try:
        rtc = candidate_from_sdp(candidate.candidate.removeprefix("candidate:"))
    except (AssertionError, ValueError, IndexError) as exc:
        raise ValueError(f"unreadable candidate {candidate.candidate!r}") from exc
    rtc.sdpMid = candidate.sdp_mid
    rtc.sdpMLineIndex = candidate.sdp_mline_index
    if rtc.sdpMid is None and rtc.sdpMLineIndex is None:
        rtc.sdpMLineIndex = 0
    return rtc
