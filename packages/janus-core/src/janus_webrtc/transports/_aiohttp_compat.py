"""The one aiohttp internal the HTTP transport touches, kept here and checked by a test.

aiohttp silently sends an idempotent request (a GET) again when its connection is reset
(RFC 9112's retry of requests on persistent connections). For a Janus long-poll that hides
the reset: the first, dead poll stays parked on the server and takes the session's next
event, and the client never learns it must recover (see ``_longpoll.py``). aiohttp offers no
public switch, so the long-poll client turns its private ``_retry_connection`` flag off.
Verified on aiohttp 3.10 to 3.14; ``tests/test_http_longpoll.py`` fails if the flag is gone.
"""

from __future__ import annotations

import aiohttp

__all__ = ["disable_request_retry"]


def disable_request_retry(client: aiohttp.ClientSession) -> bool:
    """Make ``client`` report a reset connection instead of silently sending again.

    Args:
        client: The client session that runs long-polls.

    Returns:
        True if the switch exists in this aiohttp (and is now off).
    """
    if not hasattr(client, "_retry_connection"):
        return False
    client._retry_connection = False
    return True
