"""A small agency system on loopback that takes work orders: the demo's, and the tests'.

It checks each delivery's signature against the secret of the agency named in its path
(`/agencies/<code>/work-orders`), keeps what it received, and acknowledges with 200, or answers
503 while it is marked down.
"""

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cityline.integrations.signing import signature_valid


@dataclass(frozen=True)
class Received:
    agency: str
    idempotency_key: str
    body: dict


class WorkOrderReceiver(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        port: int,
        *,
        secret_for: Callable[[str], str | None],
        log: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.secret_for = secret_for
        self.log = log
        self.down = threading.Event()
        self.arrived = threading.Condition()
        self.received: list[Received] = []

    def keep(self, item: Received) -> None:
        with self.arrived:
            self.received.append(item)
            self.arrived.notify_all()
        if self.log:
            request = item.body.get("request", {})
            event = item.body.get("event", {})
            self.log(
                f"{item.agency}: {event.get('type')} #{event.get('sequence')} "
                f"{request.get('tracking_number')} ({request.get('status')}) "
                f"key {item.idempotency_key}"
            )


class _Handler(BaseHTTPRequestHandler):
    server: WorkOrderReceiver

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: what arrives is logged by the receiver, once per work order."""

    def _answer(self, status: HTTPStatus) -> None:
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.server.down.is_set():
            self._answer(HTTPStatus.SERVICE_UNAVAILABLE)
            return
        parts = self.path.strip("/").split("/")
        code = parts[1] if len(parts) == 3 and parts[0] == "agencies" else ""
        secret = self.server.secret_for(code) if code else None
        if secret is None:
            self._answer(HTTPStatus.NOT_FOUND)
            return
        if not signature_valid(
            secret=secret,
            timestamp=self.headers.get("X-Cityline-Timestamp", ""),
            body=body,
            header=self.headers.get("X-Cityline-Signature", ""),
            now=time.time(),
        ):
            self._answer(HTTPStatus.UNAUTHORIZED)
            return
        self.server.keep(
            Received(
                agency=code,
                idempotency_key=self.headers.get("Idempotency-Key", ""),
                body=json.loads(body),
            )
        )
        self._answer(HTTPStatus.OK)
