"""``handouts serve``: the front desk on uvicorn, with the library built in the background.

The socket is bound here, before uvicorn starts, so that a port in use is one clear error (and
``--port 0`` can say which port it got); uvicorn's access log is off, and the app's own request log
(:class:`handouts.web.app.RequestLog`) names routes, never the paths or queries typed.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass

from handouts.errors import HandoutsError
from handouts.web.desk import Desk
from handouts.web.safety import PasswordError, has_password, is_local

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8000


@dataclass(frozen=True)
class ServeOptions:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    certfile: str | None = None   # TLS: both or neither
    keyfile: str | None = None


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on *host*:*port*.  Raises HandoutsError when the port is taken or the host
    is not an address of this machine."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise HandoutsError(f"--host {host}: not an address of this machine ({exc.strerror})") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno in (98, 48):  # EADDRINUSE on Linux, macOS
            raise HandoutsError(f"port {port} on {host} is in use (another 'handouts serve'?); "
                                f"give another with --port, such as --port {port + 1}") from None
        raise HandoutsError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket, host: str, https: bool) -> str:
    """The address a browser on this machine opens (a server on every interface is reached locally)."""
    port = sock.getsockname()[1]
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else (f"[{host}]" if ":" in host else host)
    return f"{'https' if https else 'http'}://{shown}:{port}/"


def serve(desk: Desk, options: ServeOptions, ready: Callable[[str], None], watch: bool = True) -> None:
    """Serve the front desk until Ctrl-C or SIGTERM; *ready* is told the URL once it listens.

    Raises PasswordError when the host is reachable from other machines and no password is set
    (``handouts serve --set-password``), HandoutsError when the socket cannot be opened or only one
    of the TLS files is given.
    """
    import uvicorn

    from handouts.web.app import Settings, make_app
    from handouts.web.builder import Builder

    local = is_local(options.host)
    if not local and not has_password(desk.private_dir):
        raise PasswordError(f"--host {options.host}: other machines can reach this front desk, so it needs a "
                            f"password first: run 'handouts serve --set-password'")
    if bool(options.certfile) != bool(options.keyfile):
        raise HandoutsError("--certfile and --keyfile go together: give both, or neither")
    if options.certfile and options.keyfile:
        _check_tls(options.certfile, options.keyfile)
    desk.clinic()  # clinic.yaml with mistakes: said now, in one line per problem, not on every page
    builder = Builder(desk) if watch else None
    settings = Settings(require_password=not local, https=bool(options.certfile), builder=builder)
    sock = bind(options.host, options.port)
    app = make_app(desk, settings)
    config = uvicorn.Config(app, access_log=False, log_config=None, log_level="warning", lifespan="off",
                            ssl_certfile=options.certfile, ssl_keyfile=options.keyfile, server_header=False,
                            proxy_headers=False,  # X-Forwarded-For from this machine would dodge the sign-in limit
                            timeout_graceful_shutdown=3)
    server = uvicorn.Server(config)
    url = url_of(sock, options.host, bool(options.certfile))
    if builder is not None:
        builder.start()
    try:
        _when_started(server, lambda: ready(url))
        server.run(sockets=[sock])
    finally:
        if builder is not None:
            builder.stop()
        sock.close()


def _check_tls(certfile: str, keyfile: str) -> None:
    """Raise HandoutsError, naming the files, when they are not a certificate and its private key (PEM)."""
    import ssl

    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(certfile, keyfile)
    except FileNotFoundError as exc:
        raise HandoutsError(f"{exc.filename or certfile}: no such file (--certfile and --keyfile take PEM files)") \
            from None
    except (OSError, ssl.SSLError) as exc:
        raise HandoutsError(f"--certfile {certfile} --keyfile {keyfile}: not a certificate and its private key "
                            f"in PEM ({getattr(exc, 'reason', None) or exc.strerror or type(exc).__name__})") from None


def _when_started(server: object, then: Callable[[], None]) -> None:
    """Call *then* from a thread once uvicorn says it has started."""
    import threading
    import time

    def wait() -> None:
        while not getattr(server, "started", False):
            if getattr(server, "should_exit", False):
                return
            time.sleep(0.02)
        then()

    threading.Thread(target=wait, daemon=True, name="handouts-ready").start()
