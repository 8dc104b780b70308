"""Worker processes: the one local pool that ensembles, comparisons and sweeps share.

Calibration runs its ensembles through it too. The pool gets its own multiprocessing
context (``forkserver`` by default, or ``spawn``), so the process-wide start method is
never touched and no worker is a fork of a parent holding threads. A script that uses
it needs the ``if __name__ == "__main__":`` guard, as for any `multiprocessing` program.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from types import TracebackType
from typing import Self, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class ProcessPool:
    """A local pool of worker processes, used as a context manager.

    Leaving the context normally waits for the workers; on an error or Ctrl-C, tasks
    not yet started are dropped rather than waited for.

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
        if self._pool is not None:
            self._pool.shutdown(wait=kind is None, cancel_futures=True)
            self._pool = None

    def map_unordered(self, function: Callable[[T], R], tasks: Sequence[T]) -> Iterator[R]:
        """Yield ``function(task)`` for every task, as each finishes (in any order).

        `function` and the tasks go to the workers by pickle: a module-level function
        (or a `functools.partial` of one) and picklable tasks.
        """
        if self._pool is None:
            raise RuntimeError("use the pool in a with block")
        pending: set[Future[R]] = {self._pool.submit(function, task) for task in tasks}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()
