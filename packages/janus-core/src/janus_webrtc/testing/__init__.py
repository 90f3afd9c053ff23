"""Helpers to test against a real Janus server: launcher, ICE set-up, pytest plugin.

This package does not import pytest; the fixtures live in
:mod:`janus_webrtc.testing.plugin`, loaded by pytest through the
``pytest11`` entry point.
"""

from janus_webrtc.testing.fresh import (
    MEDIA_MODULES,
    json_printed_by,
    media_loaded_by_importing,
    run_in_fresh_python,
)
from janus_webrtc.testing.handles import HandleFactory, HandleMaker
from janus_webrtc.testing.ice import ensure_ice_address, restrict_aioice_to
from janus_webrtc.testing.mjr import MjrRecording, read_mjr
from janus_webrtc.testing.processes import (
    Finished,
    run_janusctl,
    run_process,
    run_python_script,
)
from janus_webrtc.testing.proxy import FaultProxy, UnixFaultProxy, fault_proxy_for
from janus_webrtc.testing.server import JanusEndpoints, JanusServer, JanusStartError
from janus_webrtc.testing.wait import poll_until, recorded_frames, wait_quiet

__all__ = [
    "MEDIA_MODULES",
    "FaultProxy",
    "Finished",
    "HandleFactory",
    "HandleMaker",
    "JanusEndpoints",
    "JanusServer",
    "JanusStartError",
    "MjrRecording",
    "UnixFaultProxy",
    "ensure_ice_address",
    "fault_proxy_for",
    "json_printed_by",
    "media_loaded_by_importing",
    "poll_until",
    "read_mjr",
    "recorded_frames",
    "restrict_aioice_to",
    "run_janusctl",
    "run_process",
    "run_python_script",
    "run_in_fresh_python",
    "wait_quiet",
]
