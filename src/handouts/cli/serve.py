"""``handouts serve``: the front desk in a browser (see :mod:`handouts.web`)."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
import threading
from pathlib import Path

from handouts.errors import HandoutsError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="the address to listen on (default 127.0.0.1: this machine only; any other needs "
                             "a password, see --set-password)")
    parser.add_argument("--port", type=int, default=8000, metavar="N", help="the port (default 8000; 0: any free one)")
    parser.add_argument("--no-browser", action="store_true", help="do not open the front desk in a browser")
    parser.add_argument("--set-password", action="store_true",
                        help="set the front desk's password (asked twice; stored hashed in .handouts/) and stop")
    parser.add_argument("--certfile", metavar="FILE", help="serve over HTTPS with this certificate (PEM) ...")
    parser.add_argument("--keyfile", metavar="FILE", help="... and this private key (PEM)")
    parser.add_argument("--content", type=Path, metavar="DIR", help="content folder (default: the project's content/)")
    parser.add_argument("--assets", type=Path, metavar="DIR", help="pictures folder (default: the project's assets/)")
    parser.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: the project's output/)")


def _ask_password() -> str:
    """The new password, typed twice at a terminal (or one line from a pipe, for scripts)."""
    from handouts.errors import UsageError

    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("New front desk password: ")
    if getpass.getpass("The same again: ") != first:
        raise UsageError("the two passwords differ; nothing was changed")
    return first


def run_serve(args: argparse.Namespace) -> int:
    from handouts.errors import UsageError, display_path
    from handouts.web.desk import Desk
    from handouts.web.safety import set_password

    desk = Desk(args.content, args.assets, args.out)
    if args.set_password:
        set_password(desk.private_dir, _ask_password())
        print(f"password set ({display_path(desk.private_dir)}/password, hashed); "
              f"'handouts serve --host 0.0.0.0' now asks for it")
        return 0
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: give a port from 1 to 65535 (0: any free one)")
    if not Path(args.content).is_dir():
        raise HandoutsError(f"{display_path(args.content)}: no such folder; run 'handouts serve' in the project "
                            f"(the folder with content/), or give --content DIR")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S", stream=sys.stderr)
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # its notes on making bold faces are not the desk's
    from handouts.web.server import ServeOptions, serve
    from handouts.web.safety import is_local

    def ready(url: str) -> None:
        print(f"The front desk is at {url}  (Ctrl-C to stop)", flush=True)
        if args.host in ("0.0.0.0", "::"):
            import socket

            port = url.rstrip("/").rpartition(":")[2]
            scheme = "https" if args.certfile else "http"
            print(f"other computers: {scheme}://{socket.gethostname()}:{port}/ (or this computer's address on "
                  f"the network)", flush=True)
        if not is_local(args.host) and not args.certfile:
            print("warning: other machines reach it over plain HTTP: its password and clients' names cross the "
                  "network unencrypted; give --certfile and --keyfile", file=sys.stderr, flush=True)
        if not args.no_browser:
            import webbrowser

            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()

    try:
        serve(desk, ServeOptions(args.host, args.port, args.certfile, args.keyfile), ready)
    except KeyboardInterrupt:
        pass
    print("stopped", file=sys.stderr)
    return 0
