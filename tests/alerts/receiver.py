"""A webhook receiver on the loopback address, started by a test: it answers each POST with
the next status of its script (200 once the script is used up) and keeps what it got.

Over TLS when given a server context (https://127.0.0.1:PORT/hook); `stalls` requests
(the first ones) get no answer until `release` is set, as a receiver that hangs."""

import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    statuses: list[int] = field(default_factory=list)
    answer: bytes = b"ok"
    location: str = ""
    received: list[Received] = field(default_factory=list)
    url: str = ""
    stalls: int = 0
    release: threading.Event = field(default_factory=threading.Event)


def receiver_start(
    tls: ssl.SSLContext | None = None, stalls: int = 0
) -> tuple[Receiver, ThreadingHTTPServer]:
    state = Receiver(stalls=stalls)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            with lock:
                state.received.append(Received(dict(self.headers.items()), body))
                stall = state.stalls > 0
                state.stalls -= stall
            if stall:
                state.release.wait(120)
                return  # no answer: the connection closes unanswered
            code = state.statuses.pop(0) if state.statuses else 200
            self.send_response(code)
            if state.location:
                self.send_header("Location", state.location)
            self.send_header("Content-Length", str(len(state.answer)))
            self.end_headers()
            self.wfile.write(state.answer)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    scheme = "https" if tls is not None else "http"
    state.url = f"{scheme}://127.0.0.1:{server.server_address[1]}/hook"
    return state, server
