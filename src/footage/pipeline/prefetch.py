"""Run an iterator in a background thread so decoding overlaps detection.

PyAV and onnxruntime both release the GIL while they work, so on two cores one thread can decode
the next frames while the other runs the detector on the current one.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

__all__ = ["prefetch"]

T = TypeVar("T")
_DONE = object()


def prefetch(source: Iterator[T], depth: int = 8) -> Iterator[T]:
    """Yield the items of ``source``, produced up to ``depth`` ahead in a worker thread.
    An exception raised by ``source`` is re-raised here after the items before it. Closing the
    returned generator (or an exception in the consumer) stops the worker."""
    items: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                items.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for item in source:
                if not put(item):
                    return
        except BaseException as exc:  # handed to the consumer thread, which re-raises it
            put(_Failure(exc))
            return
        put(_DONE)

    worker = threading.Thread(target=work, name="footage-decode", daemon=True)
    worker.start()
    try:
        while True:
            item = items.get()
            if item is _DONE:
                return
            if isinstance(item, _Failure):
                raise item.exc
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        worker.join(timeout=5)


class _Failure:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc
