"""Keep ICE between Janus and aiortc on this machine.

Janus 1.1.2 never gathers ICE candidates on an interface flagged LOOPBACK, and
aioice (aiortc's ICE agent) drops ``127.0.0.1`` from its host addresses, so the
two cannot meet on ``lo``. The fix used here needs root: an empty bridge
interface (``janus0``) carrying one more 127/8 address (``127.0.0.2/32``).
That interface is not flagged LOOPBACK, so Janus gathers on it when told to
(``ice_enforce_list``), while the kernel still delivers 127/8 traffic locally
and never routes it off the host. On the Python side,
:func:`restrict_aioice_to` makes aioice gather on that one address only.

Janus matches ``ice_enforce_list`` entries as prefixes (``src/ice.c``,
``janus_ice_is_enforced``): enforcing ``127.0.0.2`` also takes ``127.0.0.20`` to
``127.0.0.29`` and ``127.0.0.200`` to ``127.0.0.255`` wherever an interface carries them.
Keep other test addresses out of those ranges.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import shutil
import subprocess
from types import TracebackType
from typing import Any, Self

__all__ = ["AioiceRestriction", "ensure_ice_address", "restrict_aioice_to"]

_log = logging.getLogger(__name__)

DEFAULT_ICE_ADDRESS = "127.0.0.2"
"""The extra loopback-range address ICE uses by default."""

DEFAULT_ICE_INTERFACE = "janus0"
"""The interface created to carry it."""


class _IpCommandError(Exception):
    """An ``ip`` command failed."""


def ensure_ice_address(
    address: str = DEFAULT_ICE_ADDRESS, interface: str = DEFAULT_ICE_INTERFACE
) -> str | None:
    """Make a 127/8 address usable for ICE on this machine, if possible.

    Creates (as root) an empty bridge interface carrying ``address/32`` and
    brings it up. Nothing is done if the address is already on an interface
    that is up and not flagged LOOPBACK, so calling this again is cheap.

    Args:
        address: An IPv4 address in 127.0.0.0/8 other than 127.0.0.1.
        interface: Name of the interface to create for it.

    Returns:
        The address if it is present and usable, or None when it cannot be
        made so (not root, no ``ip`` command, ...); the reason is logged.

    Raises:
        ValueError: If ``address`` is not in 127.0.0.0/8 or is 127.0.0.1.
    """
    _check_address(address)
    ip = shutil.which("ip")
    if ip is None:
        _log.warning("cannot set up ICE address %s: the `ip` command is missing", address)
        return None
    try:
        owner = _address_owner(ip, address)
        if owner is not None:
            return _use_existing(ip, address, owner)
        if os.geteuid() != 0:
            _log.warning(
                "cannot set up ICE address %s: adding interface %s needs root",
                address,
                interface,
            )
            return None
        _create(ip, address, interface)
        owner = _address_owner(ip, address)
    except _IpCommandError as exc:
        _log.warning("cannot set up ICE address %s: %s", address, exc)
        return None
    if owner is None or not _usable(owner):
        _log.warning("cannot set up ICE address %s: not usable after setup (%s)", address, owner)
        return None
    return address


def _check_address(address: str) -> None:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        parsed = None
    if (
        not isinstance(parsed, ipaddress.IPv4Address)
        or not parsed.is_loopback
        or parsed == ipaddress.IPv4Address("127.0.0.1")
    ):
        raise ValueError(f"ICE address must be in 127.0.0.0/8 and not 127.0.0.1, got {address!r}")


def _run_ip(ip: str, *args: str) -> str:
    completed = subprocess.run([ip, *args], capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        detail = completed.stderr.strip() or f"exit code {completed.returncode}"
        raise _IpCommandError(f"`ip {' '.join(args)}` failed: {detail}")
    return completed.stdout


def _links(ip: str) -> list[dict[str, Any]]:
    data = json.loads(_run_ip(ip, "-j", "addr", "show") or "[]")
    return [link for link in data if isinstance(link, dict)]


def _address_owner(ip: str, address: str) -> dict[str, Any] | None:
    """Return the ``ip -j addr`` record of the interface carrying ``address``."""
    for link in _links(ip):
        for info in link.get("addr_info", []):
            if info.get("family") == "inet" and info.get("local") == address:
                return link
    return None


def _usable(link: dict[str, Any]) -> bool:
    flags = link.get("flags", [])
    return "LOOPBACK" not in flags and "UP" in flags


def _use_existing(ip: str, address: str, link: dict[str, Any]) -> str | None:
    name = str(link.get("ifname"))
    if "LOOPBACK" in link.get("flags", []):
        _log.warning(
            "cannot use ICE address %s: it is on loopback interface %s, which Janus ignores",
            address,
            name,
        )
        return None
    if "UP" not in link.get("flags", []):
        if os.geteuid() != 0:
            _log.warning(
                "cannot use ICE address %s: %s is down and we are not root",
                address,
                name,
            )
            return None
        _run_ip(ip, "link", "set", name, "up")
    return address


def _create(ip: str, address: str, interface: str) -> None:
    if not _link_exists(ip, interface):
        _add_link(ip, interface)
    _run_ip(ip, "addr", "replace", f"{address}/32", "dev", interface)
    _run_ip(ip, "link", "set", interface, "up")
    _log.info("ICE address %s set up on interface %s", address, interface)


def _add_link(ip: str, interface: str) -> None:
    """Add a dummy interface, or an empty bridge on kernels without the dummy module.

    Another process (a test session running beside this one) may add it at the same moment;
    finding it there afterwards is success too.
    """
    failure: _IpCommandError | None = None
    for kind in ("dummy", "bridge"):
        try:
            _run_ip(ip, "link", "add", interface, "type", kind)
        except _IpCommandError as exc:
            if _link_exists(ip, interface):
                return
            failure = exc
        else:
            return
    assert failure is not None
    raise failure


def _link_exists(ip: str, interface: str) -> bool:
    try:
        _run_ip(ip, "link", "show", interface)
    except _IpCommandError:
        return False
    return True


class AioiceRestriction:
    """Makes aioice gather host candidates on one address only, until undone.

    Created by :func:`restrict_aioice_to`; also a context manager that undoes
    the restriction on exit.
    """

    def __init__(self, address: str) -> None:
        """Patch ``aioice.ice.get_host_addresses`` now.

        Args:
            address: The only host address aioice may use.
        """
        import aioice.ice

        version = ipaddress.ip_address(address).version
        self.address = address
        self._module = aioice.ice
        self._original = aioice.ice.get_host_addresses

        def only_address(use_ipv4: bool, use_ipv6: bool) -> list[str]:
            wanted = (version == 4 and use_ipv4) or (version == 6 and use_ipv6)
            return [address] if wanted else []

        self._replacement = only_address
        aioice.ice.get_host_addresses = only_address

    @property
    def active(self) -> bool:
        """Whether this restriction is the one in place."""
        return self._module.get_host_addresses is self._replacement

    def undo(self) -> None:
        """Restore aioice's previous function; safe to call twice.

        Restrictions must be undone in reverse order of creation; one that is
        no longer in place is left alone.
        """
        if self.active:
            self._module.get_host_addresses = self._original

    def __enter__(self) -> Self:
        """Return the restriction, already in place."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Undo the restriction."""
        self.undo()


def restrict_aioice_to(address: str) -> AioiceRestriction:
    """Make aiortc (through aioice) gather ICE host candidates on one address.

    aioice normally offers every address of the host except 127.0.0.1 and ::1;
    restricting it to the address Janus gathers on (see
    :func:`ensure_ice_address`) keeps ICE on this machine and makes candidate
    checks deterministic. Also pass ``RTCConfiguration(iceServers=[])`` to
    aiortc, or it will contact a public STUN server.

    The patch takes effect immediately and is process-wide. Use the result as
    a context manager, or call its ``undo()``::

        with restrict_aioice_to("127.0.0.2"):
            ...

    Args:
        address: The only host address aioice may use.

    Returns:
        The restriction, already in place.
    """
    return AioiceRestriction(address)
