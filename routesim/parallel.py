"""Where runs are evaluated: this process, a local pool of worker processes, or Dask.

A backend is a context manager whose ``map_unordered(function, tasks, cancel)`` yields
each task's result as it finishes, in any order; `routesim.engine.Engine` is the one
user, and everything that runs many simulations (ensembles, comparisons, the app's band,
sweeps, calibration) goes through it. Leaving the context (normally, on an error or on
Ctrl-C) stops what has not started.

The local pool gets its own multiprocessing context (``forkserver`` by default, or
``spawn``), so the process-wide start method is never touched and no worker is a fork
of a parent holding threads. A script that uses it needs the
``if __name__ == "__main__":`` guard, as for any `multiprocessing` program.
"""

from __future__ import annotations

import logging
import multiprocessing
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar

from routesim.errors import RoutesimError

T = TypeVar("T")
R = TypeVar("R")

#: How often `ProcessPool.map_unordered` looks at its cancel event while it waits.
CANCEL_POLL_S = 0.2

#: Seconds to wait for a remote Dask scheduler before giving up.
CONNECT_TIMEOUT = 20

#: A Dask scheduler address: an optional protocol, a host name or address, a port.
#: Checked here, before any work, since Dask would only refuse it on connecting.
SCHEDULER_ADDRESS = re.compile(
    r"(?:(?:tcp|tls|ws|wss|ucx)://)?(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])"
    r"(?::(?P<port>[0-9]{1,5}))?"
)


class CancelledError(Exception):
    """Raised by a backend's ``map_unordered`` when its cancel event is set."""


class Backend(Protocol):
    """Runs tasks (here or in worker processes); used as a context manager."""

    workers: int

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def map_unordered(
        self,
        function: Callable[[T], R],
        tasks: Sequence[T],
        cancel: threading.Event | None = None,
    ) -> Iterator[R]:
        """Yield ``function(task)`` for every task, as each finishes.

        Raises:
            CancelledError: `cancel` was set; tasks not yet finished are dropped.
        """
        ...


class ProcessPool:
    """A local pool of worker processes, used as a context manager.

    Leaving the context normally waits for the workers; on an error, Ctrl-C or
    `CancelledError`, tasks not yet started are dropped and the workers are stopped at once,
    mid-task, rather than waited for.

    Attributes:
        workers: Number of worker processes.
        method: The multiprocessing start method.
    """

    def __init__(self, workers: int, method: str = "forkserver") -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.workers = workers
        self.method = method
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Self:
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers, mp_context=multiprocessing.get_context(self.method)
        )
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if kind is None:
            pool.shutdown(wait=True)
            return
        # shutdown() alone lets each worker finish the task it holds, a whole model run,
        # and the interpreter waits for it on exit. Python 3.14 has terminate_workers();
        # before it, the executor's process table is the only handle on the workers.
        processes = list((pool._processes or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(timeout=5)

    def map_unordered(
        self,
        function: Callable[[T], R],
        tasks: Sequence[T],
        cancel: threading.Event | None = None,
    ) -> Iterator[R]:
        """Yield ``function(task)`` for every task, as each finishes (in any order).

        `function` and the tasks go to the workers by pickle: a module-level function
        (or a `functools.partial` of one) and picklable tasks.

        Raises:
            CancelledError: Within `CANCEL_POLL_S` of `cancel` being set; leaving the with
                block then stops the workers.
        """
        if self._pool is None:
            raise RuntimeError("use the pool in a with block")
        pending: set[Future[R]] = {self._pool.submit(function, task) for task in tasks}
        while pending:
            if cancel is not None and cancel.is_set():
                raise CancelledError
            timeout = None if cancel is None else CANCEL_POLL_S
            done, pending = wait(pending, timeout=timeout, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()


class InProcess:
    """Runs every task here, one after another: no workers to start or to ship data to.

    What a single worker would do, without a process's start-up and pickling; `cancel`
    is looked at between tasks.
    """

    workers = 1

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        return None

    def map_unordered(
        self,
        function: Callable[[T], R],
        tasks: Sequence[T],
        cancel: threading.Event | None = None,
    ) -> Iterator[R]:
        """Yield ``function(task)`` for every task, in order."""
        for task in tasks:
            if cancel is not None and cancel.is_set():
                raise CancelledError
            yield function(task)


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

    def map_unordered(
        self,
        function: Callable[[T], R],
        tasks: Sequence[T],
        cancel: threading.Event | None = None,
    ) -> Iterator[R]:
        """Yield each task's result as it finishes; cancel the rest on an error.

        `cancel` is looked at as each result comes back.
        """
        from dask.distributed import as_completed

        if self._client is None:
            raise RuntimeError("use the backend in a with block")
        # pure=False: two tasks with equal content are still two tasks to run.
        futures = [self._client.submit(function, task, pure=False) for task in tasks]
        try:
            for future in as_completed(futures):
                if cancel is not None and cancel.is_set():
                    raise CancelledError
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


def make_backend(workers: int, scheduler: str | None = None) -> Backend:
    """The backend for the command line's ``--workers`` and ``--scheduler``.

    Args:
        workers: Worker processes (for a LocalCluster too).
        scheduler: ``None`` for the local process pool, ``local`` for a Dask
            LocalCluster, or the address of a running Dask scheduler.
    """
    if scheduler is None:
        return ProcessPool(workers)
    return DaskBackend(None if scheduler == "local" else scheduler, workers)
