"""A chat platform's incoming webhook on 127.0.0.1, for tests: it records every request and
answers the way WeCom, DingTalk, Feishu, Slack or a generic endpoint would, and can be told
to fail (HTTP 500) the first N times or always, to refuse messages with a platform error, or
to answer slowly."""

import contextlib
import json
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# What each platform answers when it accepts a message.
ACCEPTED = {
    "wecom": {"errcode": 0, "errmsg": "ok"},
    "dingtalk": {"errcode": 0, "errmsg": "ok"},
    "feishu": {"code": 0, "msg": "success", "data": {}},
    "slack": "ok",
    "generic": {"ok": True},
}
# And when it refuses one (a bad signature, a bad key) while still answering HTTP 200.
REFUSED = {
    "wecom": {"errcode": 93000, "errmsg": "invalid webhook url"},
    "dingtalk": {"errcode": 310000, "errmsg": "sign not match"},
    "feishu": {"code": 19021, "msg": "sign match fail or timestamp is not within one hour from current time"},
}


@dataclass
class Received:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    accepted: bool

    @property
    def json(self):
        return json.loads(self.body)


@dataclass
class WebhookServer:
    """Use as a context manager: `with WebhookServer(platform="dingtalk", fail_first=3) as hook:`."""

    platform: str = "generic"
    fail_first: int = 0
    always_fail: bool = False
    refuse: bool = False
    # When set, each request waits for it before answering (to hold a sender mid-request).
    hold: threading.Event | None = None
    # Seconds to wait before answering (each request is recorded when it arrives).
    delay: float = 0.0
    # Called in the server's thread when a request arrives (to look at the database then).
    on_request: Callable[[], None] | None = None
    requests: list[Received] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self):
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/hook"

    @property
    def accepted(self) -> list[Received]:
        """The messages the endpoint took (what a chat group would show)."""
        with self._lock:
            return [request for request in self.requests if request.accepted]

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        if self.hold is not None:
            self.hold.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def _answer(self) -> tuple[int, bytes, str]:
        """How to answer the next request (called under the lock, before it is recorded)."""
        if self.always_fail or len(self.requests) < self.fail_first:
            return 500, b"internal error", "text/plain"
        if self.refuse:
            return 200, json.dumps(REFUSED[self.platform]).encode(), "application/json"
        answer = ACCEPTED[self.platform]
        if isinstance(answer, str):
            return 200, answer.encode(), "text/plain"
        return 200, json.dumps(answer).encode(), "application/json"

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if server.hold is not None:
                    server.arrived.set()
                    server.hold.wait(timeout=30)
                split = urllib.parse.urlsplit(self.path)
                with server._lock:
                    status, answer, content_type = server._answer()
                    server.requests.append(
                        Received(
                            path=split.path,
                            query=dict(urllib.parse.parse_qsl(split.query)),
                            headers={key.lower(): value for key, value in self.headers.items()},
                            body=body,
                            accepted=status == 200 and not server.refuse,
                        )
                    )
                server.arrived.set()
                if server.on_request is not None:
                    server.on_request()
                if server.delay:
                    time.sleep(server.delay)
                # The sender may have given up waiting.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self._answer(status, answer, content_type)

            def _answer(self, status, answer, content_type):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format, *args):
                pass

        return Handler
