"""`roadmap serve`: a live preview that rebuilds on save and reloads the browser.

The served site lives in memory (:mod:`generator.live`): each rebuild swaps in a
complete new mapping of path to bytes, so a request is answered from one complete
site, never a half-written one, and no URL is ever turned into a filesystem path
(there is nothing to traverse). When content is invalid the last good site keeps
being served, and the errors are shown in the terminal and in an overlay on every
open page.
"""

from __future__ import annotations

import ipaddress
import json
import mimetypes
import multiprocessing
import queue
import sys
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from urllib.parse import unquote, urlsplit

from jinja2 import TemplateError

from ..diagnostics import Diagnostic
from ..signals import check_stop, stop_on_signals
from ..site.audience import AudienceName
from ..site.rendering import template_problem
from .live import LiveSite, Outcome
from .watch import Watcher, needs_full_rebuild

EVENTS_PATH = "/__roadmap__/events"
REQUEST_TIMEOUT = 10.0
#: Injected into every HTML page when serving (a theme asset whose name keeps it out of
#: built sites): reloads the page when its file (or an asset) changed, and shows the
#: current errors in an overlay until they are fixed.
RELOAD_SCRIPT = (files("generator.theme.assets") / "_live-reload.js").read_text("utf-8")


class Broadcaster:
    """Server-Sent Events to every open page."""

    def __init__(self) -> None:
        self._clients: set[queue.Queue[str | None]] = set()
        self._lock = threading.Lock()

    def subscribe(self) -> queue.Queue[str | None]:
        client: queue.Queue[str | None] = queue.Queue()
        with self._lock:
            self._clients.add(client)
        return client

    def unsubscribe(self, client: queue.Queue[str | None]) -> None:
        with self._lock:
            self._clients.discard(client)

    def send(self, event: str, data: object) -> None:
        message = f"event: {event}\ndata: {json.dumps(data)}\n\n"
        with self._lock:
            for client in self._clients:
                client.put(message)

    def close(self) -> None:
        with self._lock:
            for client in self._clients:
                client.put(None)


def errors_event(errors: list[Diagnostic]) -> dict[str, list[str]]:
    return {"errors": [d.text() for d in errors]}


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or an address) can only be reached from this machine."""
    name = host.strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True  # RFC 6761: always the loopback interface
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def host_allowed(header: str | None, bound: str) -> bool:
    """Whether a request's Host header may be answered by a server bound to `bound`.

    Bound to loopback, only loopback names are answered: a page on any other site can
    point its own domain name at 127.0.0.1 (DNS rebinding) and would otherwise read
    the internal roadmap through the reader's browser. Bound to another interface, the
    user has chosen to share the site, under names this tool cannot know.
    """
    if not is_loopback(bound) or header is None:
        return True  # a client without a Host header is not a browser
    header = header.strip()
    name = header[1 : header.find("]")] if header.startswith("[") else header.split(":")[0]
    return is_loopback(name) or name.lower() == bound.lower()


def make_handler(
    live: LiveSite, events: Broadcaster, bound: str, echo: Callable[[str], None] = print
) -> type[BaseHTTPRequestHandler]:
    """The request handler for a server bound to the host `bound`; `echo` logs errors."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "roadmap-serve"
        #: seconds a client has to send its request: one that connects and says nothing
        #: (or half a request) releases its thread instead of holding it forever
        timeout = REQUEST_TIMEOUT

        def handle(self) -> None:
            try:
                super().handle()
            except CLIENT_GONE:
                pass  # the browser closed the tab or dropped the connection
            except Exception as exc:  # a bug of ours: one line, with the path, no traceback
                echo(f"serve: error answering {self.command} {self.path}: "
                     f"{type(exc).__name__}: {exc}")  # fmt: skip

        def log_message(self, format: str, *args: object) -> None:
            pass  # the terminal shows builds and errors, not every request

        def do_HEAD(self) -> None:
            if self._host_checked():
                self._respond(head=True)

        def do_GET(self) -> None:
            if not self._host_checked():
                return
            if urlsplit(self.path).path == EVENTS_PATH:
                self._stream()
            else:
                self._respond(head=False)

        def _host_checked(self) -> bool:
            """True, or False after refusing a request addressed to another name."""
            if host_allowed(self.headers.get("Host"), bound):
                return True
            body = b"Refused: this preview answers only to localhost names.\n"
            self.send_response(HTTPStatus.FORBIDDEN)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return False

        def _respond(self, head: bool) -> None:
            path = site_path(self.path)
            files = live.files  # one consistent site for the whole response
            status = HTTPStatus.OK
            if path is None or path not in files:
                status, path = HTTPStatus.NOT_FOUND, "404.html"
            body = files.get(path, b"Not found")
            kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
            if path.endswith(".html"):
                body = inject_reload(body)
                kind = "text/html; charset=utf-8"
            elif kind.startswith("text/") or kind in ("application/json", "application/xml"):
                kind += "; charset=utf-8"
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def _stream(self) -> None:
            client = events.subscribe()
            try:
                self.send_response(HTTPStatus.OK)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                hello = errors_event(live.errors) | {"version": live.version}
                self.wfile.write(f"event: hello\ndata: {json.dumps(hello)}\n\n".encode())
                self.wfile.flush()
                while True:
                    try:
                        message = client.get(timeout=15)
                    except queue.Empty:
                        message = ": keep-alive\n\n"
                    if message is None:
                        return
                    self.wfile.write(message.encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return
            finally:
                events.unsubscribe(client)

    return Handler


def site_path(url: str) -> str | None:
    """The site file a URL names, or None when it tries to leave the site."""
    path = unquote(urlsplit(url).path)
    if "\0" in path or "\\" in path:
        return None
    parts = path.split("/")
    if any(part in (".", "..") for part in parts):
        return None  # refused, not resolved: there is nothing above the site
    relative = "/".join(part for part in parts if part)
    if not relative or path.endswith("/"):
        relative = f"{relative}/index.html".lstrip("/")
    return relative


def inject_reload(html: bytes) -> bytes:
    """The live-reload script, added only when serving (never in `roadmap build`)."""
    script = f"<script>{RELOAD_SCRIPT}</script>".encode()
    index = html.rfind(b"</body>")
    return html[:index] + script + html[index:] if index >= 0 else html + script


#: What a client that went away looks like: never worth a line in the terminal.
CLIENT_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    #: a page asks for its stylesheet, script and events at once, and several tabs
    #: reload together: the default backlog of 5 refused connections
    request_queue_size = 128

    def service_actions(self) -> None:
        check_stop()  # every poll: a stop whose interrupt was lost still stops

    def handle_error(self, request: object, client_address: object) -> None:
        """One line for a real error, nothing for a client that left (no traceback)."""
        error = sys.exc_info()[1]
        if not isinstance(error, CLIENT_GONE):
            print(f"serve: error with a client: {type(error).__name__}: {error}", file=sys.stderr)


def serve(
    root: Path,
    host: str,
    port: int,
    audience: AudienceName,
    echo: Callable[[str], None],
    ready: Callable[[str], None] | None = None,
) -> None:
    """Build, serve and watch until interrupted (Ctrl-C or SIGTERM), in any state.

    The signals are taken over first, before the first build: a shell starts a
    background job with SIGINT ignored, so until then Ctrl-C did nothing (the "outlived
    SIGINT" reports). Stopping never waits for a rebuild: its workers are stopped.
    """
    if threading.current_thread() is threading.main_thread():
        stop_on_signals()
    live, events = LiveSite(root, audience), Broadcaster()

    def report(outcome: Outcome) -> None:
        for diagnostic in outcome.errors + outcome.warnings:
            echo(diagnostic.text())
        if outcome.errors:
            echo(f"{len(outcome.errors)} error(s): still serving the last good site")
            events.send("errors", errors_event(outcome.errors))
        else:
            echo(f"rebuilt: {outcome.rendered} page(s) rendered, {len(outcome.changed)} "
                 f"file(s) changed in {outcome.seconds * 1000:.0f} ms")  # fmt: skip
            events.send("reload", {"version": live.version, "changed": outcome.changed})

    def failed(problem: str) -> None:
        echo(f"rebuild failed: {problem}")
        events.send("errors", {"errors": [f"rebuild failed: {problem}"]})

    def on_change(changed: set[str]) -> None:
        try:
            report(live.rebuild(changed, full=needs_full_rebuild(root, changed)))
        except TemplateError as exc:  # a project template: keep serving, say where it broke
            failed(template_problem(exc, root))
        except Exception as exc:  # a bug of ours: keep serving, say what broke
            failed(f"{type(exc).__name__}: {exc}")

    httpd: _Server | None = None
    watcher: Watcher | None = None
    try:
        try:
            report(live.rebuild(full=True))
        except TemplateError as exc:  # served once the template is fixed (a save rebuilds)
            failed(template_problem(exc, root))
        httpd = _Server((host, port), make_handler(live, events, host, echo))
        url = f"http://{host}:{httpd.server_address[1]}/"
        watcher = Watcher(root, on_change)
        watcher.start()
        echo(f"serving {audience} site at {url} (Ctrl-C to stop)")
        if ready is not None:
            ready(url)
        httpd.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        echo("stopping")
    finally:
        if watcher is not None:
            watcher.stop()
        events.close()
        if httpd is not None:
            httpd.server_close()
        for child in multiprocessing.active_children():  # a rebuild's workers
            child.terminate()
