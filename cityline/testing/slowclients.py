"""Clients that send a request one byte every half second and never finish it, in its headers or
in its body: what a slow mobile connection looks like to a server, and what slowloris and
slow-POST attacks are made of."""

import socket
import threading

HEADERS = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * 4000
BODY_HEADERS = (
    b"POST /open311/v2/requests.json HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 4000\r\n\r\n"
)


class Tricklers:
    """`count` connections to 127.0.0.1:`port` trickling their headers (or, with `body`, sending
    whole headers and trickling the body) while in the `with` block."""

    def __init__(self, port: int, count: int, *, body: bool = False, interval: float = 0.5) -> None:
        self.sockets = [socket.create_connection(("127.0.0.1", port)) for _ in range(count)]
        if body:
            for sock in self.sockets:
                sock.sendall(BODY_HEADERS)
        self.request = b"a" * 4000 if body else HEADERS
        self.interval = interval
        self.stop = threading.Event()
        self.trickling = threading.Event()
        self.thread = threading.Thread(target=self._trickle, daemon=True)

    def _trickle(self) -> None:
        for sent in range(len(self.request)):
            for sock in self.sockets:
                sock.send(self.request[sent : sent + 1])
            if sent == 1:
                self.trickling.set()
            if self.stop.wait(self.interval):
                return

    def still_trickling(self) -> bool:
        """Whether every connection is still open and sending (the server dropped none)."""
        return self.thread.is_alive()

    def __enter__(self) -> "Tricklers":
        self.thread.start()
        if not self.trickling.wait(timeout=10):
            raise RuntimeError("the slow clients did not start sending")
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=10)
        for sock in self.sockets:
            sock.close()
