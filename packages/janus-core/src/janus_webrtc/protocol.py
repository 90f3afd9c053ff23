"""The Janus JSON protocol, without I/O.

Everything that knows Janus's wire keys (``janus``, ``transaction``, ``plugindata``, ...) lives
here: building requests, reading replies, turning events into typed objects, and hiding secrets
before a message is logged. Nothing in this module awaits, so it is tested without an event loop.
"""

from __future__ import annotations

import itertools
import re
import secrets
from collections.abc import Iterable, Mapping
from typing import Any, Final

from .errors import ProtocolError, ServerError, server_error
from .messages import (
    Candidate,
    ComponentInfo,
    Detached,
    Event,
    HangUp,
    Jsep,
    MediaState,
    PluginEvent,
    PluginResponse,
    ServerInfo,
    SessionTimeout,
    SlowLink,
    Trickle,
    UnknownEvent,
    WebRTCUp,
)

__all__ = [
    "Message",
    "TransactionIds",
    "build_request",
    "candidate_to_wire",
    "error_of",
    "http_path",
    "jsep_to_wire",
    "parse_event",
    "parse_jsep",
    "parse_plugin_response",
    "parse_server_info",
    "plugin_error_of",
    "redact",
    "redact_text",
    "routing_of",
]

Message = dict[str, Any]
"""A JSON object as sent to or received from Janus."""

SECRET_KEYS: Final = frozenset(
    {
        "apisecret",
        "token",
        "admin_secret",
        "secret",
        "new_secret",
        "pin",
        "new_pin",
        "admin_key",
        "srtp_crypto",
    }
)
"""Keys whose values never reach a log line."""

_REDACTED: Final = "<redacted>"

_SDP_SECRET_LINE: Final = re.compile(r"(a=(?:ice-pwd|crypto):)[^\r\n]*")
"""SDP attributes that carry credentials: the ICE password and SDES keys."""

_JSON_SECRET: Final = re.compile(
    r'("(?:' + "|".join(sorted(SECRET_KEYS)) + r')"\s*:\s*)("(?:[^"\\]|\\.)*(?:"|$)|[^,}\]\s]+)'
)
"""A secret key and its value in JSON text, even when the text was cut short."""


class TransactionIds:
    """Makes transaction ids unique within a connection: a random prefix and a counter."""

    __slots__ = ("_counter", "_prefix")

    def __init__(self) -> None:
        self._prefix = secrets.token_hex(4)
        self._counter = itertools.count(1)

    def next(self) -> str:
        """Return a new transaction id."""
        return f"{self._prefix}{next(self._counter):x}"


def build_request(
    kind: str,
    transaction: str,
    session_id: int | None = None,
    handle_id: int | None = None,
    fields: Mapping[str, Any] | None = None,
) -> Message:
    """Build a Janus API request.

    Args:
        kind: The request, such as ``"create"``, ``"attach"`` or ``"message"``.
        transaction: The transaction id that the reply will carry.
        session_id: The session the request is for.
        handle_id: The handle the request is for.
        fields: Further top-level fields (``plugin``, ``body``, ``jsep``, ...); ``None``
            values are left out.

    Returns:
        The request as a JSON-ready dict.
    """
    message: Message = {"janus": kind, "transaction": transaction}
    if session_id is not None:
        message["session_id"] = session_id
    if handle_id is not None:
        message["handle_id"] = handle_id
    if fields:
        for key, value in fields.items():
            if value is not None:
                message[key] = value
    return message


def http_path(message: Mapping[str, Any]) -> str:
    """Return the path, below the base URL, that a request is POSTed to over HTTP."""
    session_id = message.get("session_id")
    if session_id is None:
        return ""
    handle_id = message.get("handle_id")
    if handle_id is None:
        return f"/{session_id}"
    return f"/{session_id}/{handle_id}"


def jsep_to_wire(jsep: Jsep) -> Message:
    """Turn a :class:`Jsep` into Janus's ``jsep`` object."""
    wire: Message = {"type": jsep.type, "sdp": jsep.sdp}
    if jsep.trickle is not None:
        wire["trickle"] = jsep.trickle
    return wire


def parse_jsep(value: Any) -> Jsep | None:
    """Read Janus's ``jsep`` object; ``None`` when absent or unreadable."""
    if not isinstance(value, Mapping):
        return None
    kind = value.get("type")
    sdp = value.get("sdp")
    if kind not in ("offer", "answer") or not isinstance(sdp, str):
        return None
    trickle = value.get("trickle")
    return Jsep(type=kind, sdp=sdp, trickle=trickle if isinstance(trickle, bool) else None)


def candidate_to_wire(candidate: Candidate | None) -> Message:
    """Turn a candidate into Janus's ``candidate`` object; ``None`` means completed."""
    if candidate is None:
        return {"completed": True}
    wire: Message = {"candidate": candidate.candidate}
    if candidate.sdp_mid is not None:
        wire["sdpMid"] = candidate.sdp_mid
    if candidate.sdp_mline_index is not None:
        wire["sdpMLineIndex"] = candidate.sdp_mline_index
    return wire


def _parse_candidate(value: Any) -> Candidate | None:
    if not isinstance(value, Mapping) or not isinstance(value.get("candidate"), str):
        return None
    index = value.get("sdpMLineIndex")
    mid = value.get("sdpMid")
    return Candidate(
        candidate=value["candidate"],
        sdp_mid=mid if isinstance(mid, str) else None,
        sdp_mline_index=index if isinstance(index, int) else None,
    )


def error_of(message: Mapping[str, Any], *, request: str | None = None) -> ServerError | None:
    """Return the exception for a Janus ``error`` reply, or ``None`` if it is not one."""
    if message.get("janus") != "error":
        return None
    error = message.get("error")
    if not isinstance(error, Mapping):
        return server_error(490, "malformed error reply", request=request)
    code = error.get("code")
    reason = error.get("reason")
    return server_error(
        code if isinstance(code, int) else 490,
        reason if isinstance(reason, str) else "no reason given",
        request=request,
    )


def plugin_error_of(data: Mapping[str, Any]) -> tuple[int | None, str] | None:
    """Return ``(error_code, error)`` when plugin data reports an error, else ``None``."""
    if "error_code" not in data and "error" not in data:
        return None
    code = data.get("error_code")
    text = data.get("error")
    return (code if isinstance(code, int) else None, str(text) if text is not None else "")


def parse_plugin_response(message: Mapping[str, Any]) -> PluginResponse:
    """Read the ``plugindata`` (and ``jsep``) of a plugin's answer or event.

    Raises:
        ProtocolError: The message carries no readable ``plugindata``.
    """
    plugindata = message.get("plugindata")
    if type(plugindata) is dict:  # the usual case, straight from json.loads
        data = plugindata.get("data")
        plugin = plugindata.get("plugin")
        if type(data) is dict and type(plugin) is str:
            jsep = message.get("jsep")
            return PluginResponse(plugin, data, parse_jsep(jsep) if jsep is not None else None)
    if not isinstance(plugindata, Mapping):
        raise ProtocolError(f"expected plugindata in a {message.get('janus')!r} message")
    data = plugindata.get("data")
    plugin = plugindata.get("plugin")
    return PluginResponse(
        plugin=plugin if isinstance(plugin, str) else "",
        data=data if isinstance(data, Mapping) else {},
        jsep=parse_jsep(message.get("jsep")),
    )


def _int(value: Any, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _str(value: Any, default: str = "") -> str:
    return value if isinstance(value, str) else default


def parse_event(message: Mapping[str, Any]) -> Event:
    """Turn an event that Janus addressed to a session or handle into a typed :class:`Event`.

    Plugin events become :class:`PluginEvent`; handles of plugin packages refine them further.
    Kinds this library does not know become :class:`UnknownEvent`, never an exception.
    """
    kind = message.get("janus")
    if kind == "event":
        plugindata = message.get("plugindata")
        if isinstance(plugindata, Mapping):
            data = plugindata.get("data")
            return PluginEvent(
                plugin=_str(plugindata.get("plugin")),
                data=data if isinstance(data, Mapping) else {},
                jsep=parse_jsep(message.get("jsep")),
            )
    elif kind == "webrtcup":
        return WebRTCUp()
    elif kind == "media":
        seconds = message.get("seconds")
        substream = message.get("substream")
        return MediaState(
            kind=_str(message.get("type")),
            mid=message.get("mid") if isinstance(message.get("mid"), str) else None,
            receiving=bool(message.get("receiving")),
            seconds=seconds if isinstance(seconds, int) else None,
            substream=substream if isinstance(substream, int) else None,
        )
    elif kind == "slowlink":
        return SlowLink(
            kind=_str(message.get("media")),
            mid=message.get("mid") if isinstance(message.get("mid"), str) else None,
            uplink=bool(message.get("uplink")),
            lost=_int(message.get("lost")),
        )
    elif kind == "hangup":
        return HangUp(reason=_str(message.get("reason")))
    elif kind == "detached":
        return Detached()
    elif kind == "trickle":
        candidate = message.get("candidate")
        if isinstance(candidate, Mapping) and candidate.get("completed") is True:
            return Trickle(candidate=None, completed=True)
        parsed = _parse_candidate(candidate)
        if parsed is not None:
            return Trickle(candidate=parsed)
    elif kind == "timeout":
        return SessionTimeout()
    payload = {k: v for k, v in message.items() if k not in ("janus", "session_id", "sender")}
    return UnknownEvent(kind=_str(kind, "<missing>"), payload=payload)


def _component(component_id: str, value: Any) -> ComponentInfo:
    info = value if isinstance(value, Mapping) else {}
    return ComponentInfo(
        id=component_id,
        name=_str(info.get("name")),
        version=_int(info.get("version")),
        version_string=_str(info.get("version_string")),
        description=_str(info.get("description")),
        author=_str(info.get("author")),
    )


def _components(value: Any) -> dict[str, ComponentInfo]:
    if not isinstance(value, Mapping):
        return {}
    return {key: _component(key, item) for key, item in value.items()}


def parse_server_info(message: Mapping[str, Any]) -> ServerInfo:
    """Read Janus's ``server_info`` reply.

    Raises:
        ProtocolError: The reply is not ``server_info``.
    """
    if message.get("janus") != "server_info":
        raise ProtocolError(f"expected server_info, got {message.get('janus')!r}")
    return ServerInfo(
        name=_str(message.get("name")),
        version=_int(message.get("version")),
        version_string=_str(message.get("version_string")),
        server_name=_str(message.get("server-name")),
        session_timeout=_int(message.get("session-timeout")),
        reclaim_session_timeout=_int(message.get("reclaim-session-timeout")),
        api_secret_required=bool(message.get("api_secret")),
        auth_token_required=bool(message.get("auth_token")),
        data_channels=bool(message.get("data_channels")),
        full_trickle=bool(message.get("full-trickle")),
        ice_lite=bool(message.get("ice-lite")),
        ice_tcp=bool(message.get("ice-tcp")),
        ipv6=bool(message.get("ipv6")),
        local_ip=_str(message.get("local-ip")),
        plugins=_components(message.get("plugins")),
        transports=_components(message.get("transports")),
    )


def redact(value: Any) -> Any:
    """Return a copy of a message with every secret value replaced, safe to log.

    Secret keys (:data:`SECRET_KEYS`) lose their values; SDP text loses its ICE password and
    SDES key lines.
    """
    if isinstance(value, Mapping):
        return {
            key: _REDACTED if key in SECRET_KEYS and item is not None else redact(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact(item) for item in value]
    if isinstance(value, str) and "a=" in value:
        return _SDP_SECRET_LINE.sub(rf"\1{_REDACTED}", value)
    return value


def redact_text(text: str) -> str:
    """Hide secrets in text that may hold JSON or SDP, even cut short (for foreign logs).

    Args:
        text: Text such as a WebSocket frame as another library would log it.

    Returns:
        The text with the values of secret keys and SDP credential lines replaced.
    """
    text = _JSON_SECRET.sub(rf'\1"{_REDACTED}"', text)
    return _SDP_SECRET_LINE.sub(rf"\1{_REDACTED}", text)


def routing_of(message: Mapping[str, Any]) -> tuple[str | None, int | None, int | None]:
    """Read the fields that route an incoming message, checking their types.

    Args:
        message: A JSON object received from Janus.

    Returns:
        ``(transaction, session_id, sender)``, each ``None`` when absent.

    Raises:
        ProtocolError: A routing field has the wrong type (a list, an object, a bool, ...).
    """
    transaction = message.get("transaction")
    if transaction is not None and type(transaction) is not str:
        raise ProtocolError(f"transaction is a {type(transaction).__name__}, not a string")
    session_id = message.get("session_id")
    if session_id is not None and type(session_id) is not int:
        raise ProtocolError(f"session_id is a {type(session_id).__name__}, not an integer")
    sender = message.get("sender")
    if sender is not None and type(sender) is not int:
        raise ProtocolError(f"sender is a {type(sender).__name__}, not an integer")
    return transaction, session_id, sender


def candidates_to_wire(candidates: Iterable[Candidate | None]) -> list[Message]:
    """Turn several candidates into Janus's ``candidates`` array."""
    return [candidate_to_wire(candidate) for candidate in candidates]
