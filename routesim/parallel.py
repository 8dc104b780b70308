"""Worker processes: the one local pool that ensembles, comparisons and sweeps share.

Calibration runs its ensembles through it too. The pool gets its own multiprocessing
context (``forkserver`` by default, or ``spawn``), so the process-wide start method is
never touched and no worker is a fork of a parent holding threads. A script that uses
it needs the ``if __name__ == "__main__":`` guard, as for any `multiprocessing` program.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from types import TracebackType
from typing import Self, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: How often `ProcessPool.map_unordered` looks at its cancel event while it waits.
CANCEL_POLL_S = 0.2


class CancelledError(Exception):
    """Raised by `ProcessPool.map_unordered` when its cancel event is set."""


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
