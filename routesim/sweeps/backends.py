"""Where chunks of runs are evaluated: a local process pool, or a Dask cluster.

A backend is a context manager whose ``map_unordered(function, tasks)`` yields each
task's result as it finishes, in any order. The local one is the pool every parallel
run of routesim uses (`routesim.parallel.ProcessPool`). Leaving the context (normally, on an
error or on Ctrl-C) stops what has not started. Both backends run each task in a
separate worker process, so the model never runs in the process that writes results.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar

from routesim.errors import RoutesimError
from routesim.parallel import ProcessPool

T = TypeVar("T")
R = TypeVar("R")

#: Seconds to wait for a remote Dask scheduler before giving up.
CONNECT_TIMEOUT = 20

#: A Dask scheduler address: an optional protocol, a host name or address, a port.
#: Checked here, before any work, since Dask would only refuse it on connecting.
SCHEDULER_ADDRESS = re.compile(
    r"(?:(?:tcp|tls|ws|wss|ucx)://)?(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])"
    r"(?::(?P<port>[0-9]{1,5}))?"
)


class Backend(Protocol):
    """Runs tasks in worker processes; used as a context manager."""

    workers: int

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def map_unordered(self, function: Callable[[T], R], tasks: Sequence[T]) -> Iterator[R]:
        """Yield ``function(task)`` for every task, as each finishes."""
        ...


class DaskBackend:
    """Dask distributed: a running scheduler at an address, or a new LocalCluster.

    Dask is an optional dependency (``pip install 'routesim[dask]'``), imported only
    when this backend is entered. Workers of a remote cluster need routesim installed
    (same version) and its geodata.

    Attributes:
        address: Scheduler address, or ``None`` to start a LocalCluster.
        workers: Worker processes of a LocalCluster (one thread each); for a remote
            scheduler, the workers it had on connecting.
    """

    def __init__(self, address: str | None, workers: int) -> None:
        if address is not None:
            check_address(address)
        self.address = address
        self.workers = workers
        self._cluster: Any = None
        self._client: Any = None

    def __enter__(self) -> Self:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise RoutesimError("--scheduler needs Dask: pip install 'routesim[dask]'") from None
        if self.address is None:
            # One thread per worker: the model is pure Python and holds the GIL.
            self._cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            self._client = Client(self._cluster)
        else:
            try:
                self._client = Client(self.address, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError) as exc:
                raise RoutesimError(
                    f"cannot reach the Dask scheduler at {self.address}: {exc}"
                ) from None
            self.workers = max(1, len(self._client.scheduler_info().get("workers", {})))
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def map_unordered(self, function: Callable[[T], R], tasks: Sequence[T]) -> Iterator[R]:
        """Yield each task's result as it finishes; cancel the rest on an error."""
        from dask.distributed import as_completed

        if self._client is None:
            raise RuntimeError("use the backend in a with block")
        # pure=False: two tasks with equal content are still two tasks to run.
        futures = [self._client.submit(function, task, pure=False) for task in tasks]
        try:
            for future in as_completed(futures):
                yield future.result()
        finally:
            self._client.cancel([f for f in futures if not f.done()])


def check_address(address: str) -> None:
    """Refuse a scheduler address Dask could not connect to, in one line.

    Raises:
        RoutesimError: `address` is not ``[PROTOCOL://]HOST[:PORT]`` with a protocol of
            tcp, tls, ws, wss or ucx and a port up to 65535.
    """
    match = SCHEDULER_ADDRESS.fullmatch(address)
    if match is None or int(match.group("port") or 0) > 65535:
        raise RoutesimError(
            f"--scheduler {address!r}: expected 'local' or a scheduler address like "
            "tcp://host:8786 (protocols: tcp, tls, ws, wss, ucx)"
        )


def make_backend(workers: int, scheduler: str | None) -> Backend:
    """The backend for the command line's ``--workers`` and ``--scheduler``.

    Args:
        workers: Worker processes (for a LocalCluster too).
        scheduler: ``None`` for the local process pool, ``local`` for a Dask
            LocalCluster, or the address of a running Dask scheduler.
    """
    if scheduler is None:
        return ProcessPool(workers)
    return DaskBackend(None if scheduler == "local" else scheduler, workers)
