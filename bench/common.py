"""Small helpers the benchmark scripts share (run as ``python bench/NAME.py``: this folder is
on ``sys.path``)."""

from __future__ import annotations

import shutil
import socket
import sys
from pathlib import Path

LOOPBACK = "127.0.0.1"


def log(message: str) -> None:
    """Progress on stderr, so stdout keeps only the results table."""
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def oxigraph_binary() -> str:
    """The ``oxigraph`` server command of the PyPI package, next to this Python if not on PATH."""
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).exists():
        raise SystemExit("the oxigraph server is not installed (pip install oxigraph)")
    return found
