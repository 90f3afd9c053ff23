"""EchoTest demo: a test pattern and a tone go to Janus and come back (janus-echotest).

Run by ``demo/run_demo.py``: ``run(endpoints)`` gets the private Janus it started. Over
WebSocket, then HTTP, it prints each second the frames sent and echoed per second and the
round trip of echoed video frames. The demo itself lives in the package
(``python -m janus_echotest.demo``).
"""

from __future__ import annotations

from janus_echotest.demo import run

__all__ = ["run"]
