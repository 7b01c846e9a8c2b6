"""The SPARQL worker pool: each query runs in a worker process that is killed at the time limit.

Why processes and not threads: pyoxigraph releases the GIL while it evaluates (measured: the
event loop keeps running beside a 0.2 s cross product), so threads would run queries in
parallel, but nothing can stop one: pyoxigraph has no cancellation, and a Python thread cannot
be killed. A runaway query in a thread would hold a core until it ends, however long. A worker
process (``_worker.py``) can be killed, so the time limit is a hard one: the server waits for
the answer up to ``time_limit`` seconds, then kills the worker (SIGKILL: it only reads the
snapshot, nothing can be left half written) and starts a replacement in the background. The
other workers keep answering meanwhile, so one client's runaway query costs the others one
worker for at most ``time_limit`` seconds.

Costs: the query text goes down a pipe and the serialized result comes back up it (one more
copy of the result bytes). Measured in ``bench/serve.py`` (1,000 articles, 8 clients, 2 cores,
the canned queries): kg serve answered 6.3 requests/s against 4.5 for ``oxigraph
serve-read-only`` on the same data: evaluation dominates, and at most ``size`` queries run at
once, one per core, where Oxigraph runs all eight side by side. The other side of that bound:
a light query waits behind heavy ones for a free worker (bound ``evidence``: median 0.74 s
here, 17 ms on Oxigraph); raise ``--workers`` to trade throughput for that latency.

Waiting for a free worker is bounded too (``queue_limit``): when every worker is busy for that
long the request is answered 503 with ``Retry-After`` instead of queueing without end.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

WORKER_SCRIPT = Path(__file__).resolve().parent / "_worker.py"
HEADER = struct.Struct(">I")
ALARM_GRACE = 5.0
"""Seconds past the time limit after which a worker ends itself (SIGALRM) if not killed."""
START_TIMEOUT = 60.0


@dataclass(frozen=True)
class QueryJob:
    """One SPARQL query as the worker runs it (see ``_worker.py`` for the fields' meaning)."""

    query: str
    select_formats: tuple[str, ...]
    graph_formats: tuple[str, ...]
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    union: bool = True


@dataclass(frozen=True)
class QueryOutcome:
    """What became of a job. ``status`` follows HTTP; ``kind`` names the failure."""

    status: int
    body: bytes = b""
    media_type: str = ""
    form: str = ""
    """``select``, ``boolean`` or ``graph`` when the query was evaluated."""
    format: str = ""
    kind: str = ""
    """``syntax``, ``request``, ``format``, ``size``, ``timeout``, ``busy``, ``crash``."""
    error: str = ""
    seconds: float = 0.0


class WorkerError(Exception):
    """A worker could not be started (the snapshot does not open, the script is missing)."""


@dataclass(eq=False)
class _Worker:
    process: asyncio.subprocess.Process
    jobs: int = field(default=0)

    async def read_frame(self) -> bytes:
        assert self.process.stdout is not None
        head = await self.process.stdout.readexactly(HEADER.size)
        return await self.process.stdout.readexactly(HEADER.unpack(head)[0])

    async def send(self, payload: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(HEADER.pack(len(payload)) + payload)
        await self.process.stdin.drain()

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()


class QueryPool:
    """``size`` worker processes on the snapshot at ``store_path``. Start it inside the event
    loop that will use it (``await start()``); ``close()`` stops every worker."""

    def __init__(self, store_path: Path, *, size: int, time_limit: float, max_bytes: int,
                 queue_limit: float | None = None) -> None:
        if size < 1:
            raise ValueError("a pool needs at least one worker")
        self.store_path = store_path
        self.size = size
        self.time_limit = time_limit
        self.max_bytes = max_bytes
        self.queue_limit = time_limit if queue_limit is None else queue_limit
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False
        self.killed = 0
        """Workers killed at the time limit (or lost) since the start."""

    async def start(self) -> None:
        workers = await asyncio.gather(*(self._spawn() for _ in range(self.size)))
        for worker in workers:
            self._idle.put_nowait(worker)

    async def _spawn(self) -> _Worker:
        # -P: the script's directory is not put on sys.path (kg/serve/ would shadow nothing
        # today, but a worker should see only the standard library and pyoxigraph).
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-P", str(WORKER_SCRIPT), str(self.store_path),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        worker = _Worker(process)
        try:
            ready = json.loads(await asyncio.wait_for(worker.read_frame(), START_TIMEOUT))
        except (asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
            worker.kill()
            raise WorkerError(f"a SPARQL worker did not start ({exc!r})") from exc
        if "error" in ready:
            worker.kill()
            raise WorkerError(str(ready["error"]))
        self._all.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and start another in the background."""
        worker.kill()
        self._all.discard(worker)
        task = asyncio.get_running_loop().create_task(self._respawn(worker))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _respawn(self, old: _Worker) -> None:
        with contextlib.suppress(ProcessLookupError):
            await old.process.wait()
        if self._closed:
            return
        try:
            worker = await self._spawn()
        except WorkerError:
            # The snapshot opened a moment ago; a failure now is transient (no memory left):
            # try again shortly rather than leave the pool one worker short for good.
            await asyncio.sleep(1.0)
            if not self._closed:
                self._replace(old)
            return
        self._idle.put_nowait(worker)

    async def run(self, job: QueryJob) -> QueryOutcome:
        loop = asyncio.get_running_loop()
        start = loop.time()
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.queue_limit)
        except TimeoutError:
            return QueryOutcome(503, kind="busy", error=(
                f"every SPARQL worker stayed busy for {self.queue_limit:g} s: try again"))
        request = {"query": job.query, "select_formats": job.select_formats,
                   "graph_formats": job.graph_formats, "default_graphs": job.default_graphs,
                   "named_graphs": job.named_graphs, "union": job.union,
                   "max_bytes": self.max_bytes, "alarm": self.time_limit + ALARM_GRACE}
        done = False
        try:
            async with asyncio.timeout(self.time_limit):
                await worker.send(json.dumps(request).encode("utf-8"))
                header = json.loads(await worker.read_frame())
                body = await worker.read_frame()
            done = True
        except TimeoutError:
            self.killed += 1
            return QueryOutcome(503, kind="timeout", seconds=loop.time() - start, error=(
                f"the query ran past the time limit of {self.time_limit:g} s and was stopped"))
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            return QueryOutcome(500, kind="crash", seconds=loop.time() - start, error=(
                f"the SPARQL worker ended while evaluating the query ({exc.__class__.__name__};"
                " out of memory?)"))
        finally:
            # Anything but a whole answer (a timeout, a crash, the request cancelled because
            # the client went away) leaves the worker in an unknown state: replace it.
            if done:
                worker.jobs += 1
                self._idle.put_nowait(worker)
            else:
                self._replace(worker)
        return QueryOutcome(
            int(header["status"]), body, media_type=str(header.get("media_type", "")),
            form=str(header.get("form", "")), format=str(header.get("format", "")),
            kind=str(header.get("kind", "")), error=str(header.get("error", "")),
            seconds=loop.time() - start)

    async def close(self) -> None:
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        for worker in list(self._all):
            if worker.process.stdin is not None:
                worker.process.stdin.close()
        for worker in list(self._all):
            try:
                await asyncio.wait_for(worker.process.wait(), 2.0)
            except TimeoutError:
                worker.kill()
                await worker.process.wait()
        self._all.clear()
