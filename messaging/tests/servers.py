"""Real local servers the channel tests send to: an SMTP server (aiosmtpd),
and an HTTP server (http.server in a thread) that plays the SMS gateway,
the WeCom webhook or the browser push service. Each records what it got and
can be told to fail the next N requests."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _MailHandler:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.raw: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.raw.append(envelope.content)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"


@dataclass
class SmtpServer:
    port: int
    handler: _MailHandler

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    @property
    def raw(self) -> list[bytes]:
        return self.handler.raw


def smtp_server() -> Iterator[SmtpServer]:
    handler = _MailHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(port, handler)
    finally:
        controller.stop()


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class HttpServer:
    """`answer(request) -> (status, json body)` decides each reply; while
    `fail_next` > 0 the server answers 500 instead and counts down."""

    answer: Callable[[Request], tuple[int, dict[str, Any]]]
    requests: list[Request] = field(default_factory=list)
    fail_next: int = 0
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def http_server(answer: Callable[[Request], tuple[int, dict[str, Any]]]) -> Iterator[HttpServer]:
    state = HttpServer(answer)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = Request(self.path, {k.lower(): v for k, v in self.headers.items()}, self.rfile.read(length))
            state.requests.append(request)
            if state.fail_next > 0:
                state.fail_next -= 1
                status, body = 500, {"Code": "ServiceUnavailable", "errcode": -1, "errmsg": "busy"}
            else:
                status, body = state.answer(request)
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = int(server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
