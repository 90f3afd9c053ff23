"""Write the minimal, loopback-only configuration of a private Janus server.

Janus reads libconfig-style ``.jcfg`` files: named sections holding
``key = value`` settings. Only the few settings the launcher needs are written;
everything else keeps Janus's built-in defaults.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

JcfgValue = str | int | float | bool | Sequence[str]
"""A setting value: a string, a number, a boolean or a list of strings."""

JcfgSections = Mapping[str, Mapping[str, JcfgValue]]
"""A configuration file: section name to its settings."""

LOOPBACK = "127.0.0.1"

# Module file names shipped with Janus 1.1.2. They are disabled even when the
# modules folder cannot be listed, so that nothing unwanted is ever loaded.
KNOWN_PLUGINS = (
    "audiobridge",
    "duktape",
    "echotest",
    "lua",
    "nosip",
    "recordplay",
    "sip",
    "streaming",
    "textroom",
    "videocall",
    "videoroom",
    "voicemail",
)
KNOWN_TRANSPORTS = ("http", "mqtt", "nanomsg", "pfunix", "rabbitmq", "websockets")
KNOWN_EVENT_HANDLERS = (
    "gelfevh",
    "mqttevh",
    "nanomsgevh",
    "rabbitmqevh",
    "sampleevh",
    "wsevh",
)
KNOWN_LOGGERS = ("jsonlog",)
ENABLED_TRANSPORTS = ("http", "websockets")
"""Transports always enabled; ``pfunix`` too when the config has a ``unix_socket_dir``."""


def render(sections: JcfgSections) -> str:
    """Render sections as ``.jcfg`` text.

    Args:
        sections: Section name to its settings, in the order to write them.

    Returns:
        The configuration text.
    """
    lines = ["# Written by janus_webrtc.testing: a private, loopback-only Janus.", ""]
    for name, settings in sections.items():
        lines.append(f"{name}: {{")
        lines.extend(f"\t{key} = {_render_value(value)}" for key, value in settings.items())
        lines.extend(("}", ""))
    return "\n".join(lines)


def _render_value(value: JcfgValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return _quote(value)
    return "[" + ", ".join(_quote(item) for item in value) + "]"


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def module_file(name: str) -> str:
    """Return the shared-object file name of a Janus module.

    Args:
        name: Short module name, such as ``"echotest"`` or ``"websockets"``.

    Returns:
        The file name, such as ``"libjanus_echotest.so"``.
    """
    return f"libjanus_{name}.so"


def installed_modules(folder: Path | None) -> set[str]:
    """List the short names of the modules installed in a folder.

    Args:
        folder: A Janus modules folder (plugins, transports, ...), or None.

    Returns:
        The short names of the ``libjanus_*.so`` files found; empty if the
        folder is None or missing.
    """
    if folder is None or not folder.is_dir():
        return set()
    return {path.name[len("libjanus_") : -len(".so")] for path in folder.glob("libjanus_*.so")}


def disable_list(known: Iterable[str], installed: Iterable[str], keep: Iterable[str]) -> str:
    """Build the comma-separated ``disable`` value for a module kind.

    Args:
        known: Module names shipped with Janus.
        installed: Module names found in the modules folder.
        keep: Module names to leave enabled.

    Returns:
        The file names of every known or installed module not in ``keep``.
    """
    names = (set(known) | set(installed)) - set(keep)
    return ",".join(module_file(name) for name in sorted(names))


@dataclass(frozen=True)
class ServerConfig:
    """Everything needed to write one private server's configuration.

    Attributes:
        config_dir: Folder receiving the ``.jcfg`` files.
        modules_dir: Folder holding Janus's ``plugins``, ``transports``, ``events``
            and ``loggers`` folders, or None to use Janus's compiled-in defaults.
        recordings_dir: Folder for recordings (Record&Play and room recordings).
        http_port: Janus API HTTP port.
        admin_http_port: Admin API HTTP port.
        ws_port: Janus API WebSocket port.
        admin_ws_port: Admin API WebSocket port.
        rtp_port_range: Inclusive UDP port range for ICE.
        plugin_port_range: Inclusive UDP port range for the Streaming and
            AudioBridge plugins' plain RTP ports.
        plugins: Short names of the plugins to enable.
        admin_secret: Admin API secret.
        api_secret: Janus API secret, or None for none.
        token_auth: Whether token based authentication is enabled.
        session_timeout: Session timeout in seconds.
        reclaim_session_timeout: Seconds a session survives the loss of its
            transport, waiting for a ``claim``.
        debug_level: Janus log level, 0-7.
        server_name: Name Janus reports in ``info``.
        ice_address: The only address ICE may gather on, or None.
        unix_socket_dir: Folder of the pfunix transport's socket files (``janus.sock``,
            ``admin.sock``), or None to leave that transport off.
        unix_datagram: Whether those sockets are SOCK_DGRAM (else SOCK_SEQPACKET).
        plugin_config: Per plugin (short name), sections to write into its ``.jcfg``: its
            ``general`` settings are merged over the launcher's, other sections (a
            Streaming mountpoint, an AudioBridge room) are added as given.
    """

    config_dir: Path
    modules_dir: Path | None
    recordings_dir: Path
    http_port: int
    admin_http_port: int
    ws_port: int
    admin_ws_port: int
    rtp_port_range: tuple[int, int]
    plugin_port_range: tuple[int, int]
    plugins: tuple[str, ...]
    admin_secret: str
    api_secret: str | None
    token_auth: bool
    session_timeout: int
    reclaim_session_timeout: int
    debug_level: int
    server_name: str
    ice_address: str | None
    plugin_config: Mapping[str, JcfgSections] = field(default_factory=dict)
    unix_socket_dir: Path | None = None
    unix_datagram: bool = False

    @property
    def unix_path(self) -> Path | None:
        """The Janus API's Unix socket, or None when pfunix is off."""
        return None if self.unix_socket_dir is None else self.unix_socket_dir / "janus.sock"

    @property
    def admin_unix_path(self) -> Path | None:
        """The Admin API's Unix socket, or None when pfunix is off."""
        return None if self.unix_socket_dir is None else self.unix_socket_dir / "admin.sock"

    @property
    def main_config_path(self) -> Path:
        """Path of the ``janus.jcfg`` file."""
        return self.config_dir / "janus.jcfg"

    def folder(self, kind: str) -> Path | None:
        """Return the modules folder of one kind.

        Args:
            kind: ``"plugins"``, ``"transports"``, ``"events"`` or ``"loggers"``.

        Returns:
            The folder, or None when the modules folder is unknown.
        """
        return None if self.modules_dir is None else self.modules_dir / kind


def write_config(config: ServerConfig) -> Path:
    """Write all configuration files of a private server.

    Args:
        config: The server's settings.

    Returns:
        The path of the main ``janus.jcfg`` file.
    """
    config.config_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, JcfgSections] = {
        "janus.jcfg": _core_sections(config),
        "janus.transport.http.jcfg": _http_sections(config),
        "janus.transport.websockets.jcfg": _websockets_sections(config),
        "janus.transport.pfunix.jcfg": _pfunix_sections(config),
    }
    for plugin in config.plugins:
        extra = config.plugin_config.get(plugin, {})
        general = {**_plugin_general(plugin, config), **extra.get("general", {})}
        files[f"janus.plugin.{plugin}.jcfg"] = {
            "general": general,
            **{name: settings for name, settings in extra.items() if name != "general"},
        }
    for name, sections in files.items():
        path = config.config_dir / name
        path.write_text(render(sections), encoding="utf-8")
        path.chmod(0o600)
    return config.main_config_path


def _range(bounds: tuple[int, int]) -> str:
    return f"{bounds[0]}-{bounds[1]}"


def _core_sections(config: ServerConfig) -> JcfgSections:
    general: dict[str, JcfgValue] = {"configs_folder": str(config.config_dir)}
    for kind, key in (
        ("plugins", "plugins_folder"),
        ("transports", "transports_folder"),
        ("events", "events_folder"),
        ("loggers", "loggers_folder"),
    ):
        folder = config.folder(kind)
        if folder is not None:
            general[key] = str(folder)
    general.update(
        {
            "server_name": config.server_name,
            "interface": LOOPBACK,
            "debug_level": config.debug_level,
            "admin_secret": config.admin_secret,
            "token_auth": config.token_auth,
            "session_timeout": config.session_timeout,
            "reclaim_session_timeout": config.reclaim_session_timeout,
        }
    )
    if config.api_secret is not None:
        general["api_secret"] = config.api_secret
    nat: dict[str, JcfgValue] = {"nice_debug": False, "ignore_mdns": True}
    if config.ice_address is not None:
        nat["ice_enforce_list"] = config.ice_address
    return {
        "general": general,
        # No cert_pem/cert_key: Janus generates a self-signed DTLS certificate.
        "certificates": {},
        "media": {"rtp_port_range": _range(config.rtp_port_range)},
        "nat": nat,
        "plugins": {"disable": _disable("plugins", KNOWN_PLUGINS, config.plugins, config)},
        "transports": {
            "disable": _disable("transports", KNOWN_TRANSPORTS, _transports(config), config)
        },
        "loggers": {"disable": _disable("loggers", KNOWN_LOGGERS, (), config)},
        "events": {
            "broadcast": False,
            "disable": _disable("events", KNOWN_EVENT_HANDLERS, (), config),
        },
    }


def _transports(config: ServerConfig) -> tuple[str, ...]:
    return ENABLED_TRANSPORTS if config.unix_path is None else (*ENABLED_TRANSPORTS, "pfunix")


def _disable(kind: str, known: Iterable[str], keep: Iterable[str], config: ServerConfig) -> str:
    return disable_list(known, installed_modules(config.folder(kind)), keep)


def _http_sections(config: ServerConfig) -> JcfgSections:
    return {
        "general": {
            "json": "plain",
            "base_path": "/janus",
            "http": True,
            "ip": LOOPBACK,
            "port": config.http_port,
            "https": False,
        },
        "admin": {
            "admin_base_path": "/admin",
            "admin_http": True,
            "admin_ip": LOOPBACK,
            "admin_port": config.admin_http_port,
            "admin_https": False,
        },
    }


def _websockets_sections(config: ServerConfig) -> JcfgSections:
    return {
        "general": {
            "json": "plain",
            "ws": True,
            "ws_ip": LOOPBACK,
            "ws_port": config.ws_port,
            "wss": False,
        },
        "admin": {
            "admin_ws": True,
            "admin_ws_ip": LOOPBACK,
            "admin_ws_port": config.admin_ws_port,
            "admin_wss": False,
        },
    }


def _pfunix_sections(config: ServerConfig) -> JcfgSections:
    if config.unix_path is None or config.admin_unix_path is None:
        return {"general": {"enabled": False}, "admin": {"admin_enabled": False}}
    kind = "SOCK_DGRAM" if config.unix_datagram else "SOCK_SEQPACKET"
    return {
        "general": {"enabled": True, "json": "plain", "path": str(config.unix_path), "type": kind},
        "admin": {
            "admin_enabled": True,
            "admin_path": str(config.admin_unix_path),
            "admin_type": kind,
        },
    }


def _plugin_general(plugin: str, config: ServerConfig) -> dict[str, JcfgValue]:
    """Settings of a plugin's ``general`` section: no sample rooms or mountpoints."""
    plain_rtp = _range(config.plugin_port_range)
    if plugin == "streaming":
        return {"rtp_port_range": plain_rtp}
    if plugin == "audiobridge":
        # Without local_ip the plugin guesses one of the host's addresses.
        return {"rtp_port_range": plain_rtp, "local_ip": LOOPBACK}
    if plugin in ("sip", "nosip"):
        return {"local_ip": LOOPBACK, "rtp_port_range": plain_rtp}
    if plugin == "recordplay":
        return {"path": str(config.recordings_dir)}
    return {}
